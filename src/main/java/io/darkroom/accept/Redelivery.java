package io.darkroom.accept;

import io.darkroom.deliver.KeptOutputs;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * An input dropped again after its job failed only at delivery: the results were paid for and are
 * still kept, so the earlier job is delivered again from them (to the destinations that do not have
 * them yet) instead of calling the provider. The new drop's files become that job's inputs.
 */
public class Redelivery {

    private static final Logger LOG = LoggerFactory.getLogger(Redelivery.class);

    private final JobLedger ledger;
    private final KeptOutputs kept;

    public Redelivery(JobLedger ledger, KeptOutputs kept) {
        this.ledger = ledger;
        this.kept = kept;
    }

    /** True when the job repeats an earlier one whose results are kept but not yet everywhere. */
    public boolean applies(Exchange exchange) {
        Job job = exchange.getProperty("job", Job.class);
        return earlierToDeliver(job) != null;
    }

    private Job earlierToDeliver(Job job) {
        if (job.getEarlierJobId() == null) {
            return null;
        }
        Job earlier = ledger.find(job.getEarlierJobId());
        boolean deliveryFailed = earlier != null && earlier.getState() == JobState.FAILED && earlier.getErrorCode() == ErrorCode.DELIVERY_FAILED;
        return deliveryFailed && kept.hasAll(earlier) ? earlier : null;
    }

    /** The earlier job, now carrying the new drop's inputs, becomes the exchange's job and body. */
    public Job takeOver(Exchange exchange) {
        Job dropped = exchange.getProperty("job", Job.class);
        Job earlier = earlierToDeliver(dropped);
        earlier.setSource(dropped.getSource());
        earlier.setSourceFolder(dropped.getSourceFolder());
        earlier.setTicketName(dropped.getTicketName());
        earlier.setInputs(new ArrayList<>(dropped.getInputs()));
        earlier.setOrigin(new LinkedHashMap<>(dropped.getOrigin()));
        earlier.setErrorCode(null);
        earlier.setErrorMessage(null);
        earlier.setErrorStage(null);
        earlier.getFailedDestinations().clear();
        ledger.transition(earlier, JobState.COMPLETED);
        LOG.info("Job {} repeats job {}, whose results are kept: delivering those again, without calling the provider",
                dropped.getId(), earlier.getId());
        exchange.setProperty("job", earlier);
        return earlier;
    }
}
