package io.darkroom.ledger;

import io.darkroom.intake.JobClaims;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobOutcomes;
import io.darkroom.job.JobState;
import io.darkroom.provider.InFlightLimiter;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks up after a stop or crash, from the ledger alone. Before any route runs, the inputs of
 * unfinished jobs are claimed so the inbox scan does not start them again. Once started: SUBMITTED
 * jobs go back to polling (never submitted again), COMPLETED ones to download and delivery, and a
 * SUBMITTING job, whose submit may or may not have reached the provider, becomes SUBMIT_UNKNOWN.
 */
public class LedgerRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRecovery.class);

    private final JobLedger ledger;
    private final JobClaims claims;
    private final JobOutcomes outcomes;
    private final InFlightLimiter limiter;
    private final List<Job> resumable = new ArrayList<>();

    public LedgerRecovery(JobLedger ledger, JobClaims claims, JobOutcomes outcomes, InFlightLimiter limiter) {
        this.ledger = ledger;
        this.claims = claims;
        this.outcomes = outcomes;
        this.limiter = limiter;
    }

    /** Runs before any route starts, so the first inbox scan already skips these inputs. */
    public void claimUnfinished() {
        resumable.clear();
        for (Job job : ledger.inStates(JobState.RECEIVED, JobState.PLANNED)) {
            // never reached a provider; its inputs are still in the inbox and will be scanned again
            job.setErrorCode(ErrorCode.INTERNAL);
            job.setErrorMessage("Interrupted by a restart before it was submitted; the inputs are picked up again as a new job.");
            ledger.transition(job, JobState.FAILED);
        }
        resumable.addAll(ledger.inStates(JobState.SUBMITTING, JobState.SUBMITTED, JobState.COMPLETED));
        for (Job job : resumable) {
            job.getInputs().forEach(input -> claims.claim(Path.of(input)));
        }
        if (!resumable.isEmpty()) {
            LOG.info("Ledger: {} unfinished job(s) from an earlier run will be resumed", resumable.size());
        }
    }

    /** Runs once the routes are up (route resume-from-ledger). */
    public void resume(CamelContext context) {
        ProducerTemplate producer = context.createProducerTemplate();
        for (Job job : resumable) {
            outcomes.started(job);
            switch (job.getState()) {
                case SUBMITTED -> {
                    limiter.occupy(job);
                    producer.asyncSendBody("seda:poll", job);
                }
                // through the poll stage: its loop ends at once for a completed job, and its error handling applies
                case COMPLETED -> producer.asyncSendBody("seda:poll", job);
                default -> {
                    job.setErrorCode(ErrorCode.SUBMIT_UNKNOWN);
                    job.setErrorMessage("Darkroom stopped while submitting this job to " + job.getProvider()
                            + "; it cannot tell whether the provider accepted (and billed) it, so it was not sent again.");
                    job.setErrorStage("submit");
                    producer.send("direct:quarantine", ExchangePattern.InOnly, exchange -> {
                        exchange.setProperty("job", job);
                        exchange.getMessage().setBody(job);
                    });
                }
            }
        }
        resumable.clear();
    }
}
