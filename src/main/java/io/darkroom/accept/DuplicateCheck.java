package io.darkroom.accept;

import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Predicate;

/**
 * Recognises an input that an earlier job already sent to its provider (same dedupe key), so the
 * same work is not paid for twice; {@code rerun: true} in the ticket asks for it anyway.
 */
public class DuplicateCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DuplicateCheck.class);

    private final JobLedger ledger;
    private volatile Predicate<Job> rerunByOperator = job -> false;

    public DuplicateCheck(JobLedger ledger) {
        this.ledger = ledger;
    }

    /** Jobs an operator asked to run again (the console's "rerun"), as if the ticket said rerun: true. */
    public void setRerunByOperator(Predicate<Job> rerun) {
        this.rerunByOperator = rerun;
    }

    /** Synchronized with the ledger write, so two copies of one input dropped together are seen as one. */
    @Handler
    public synchronized Job findEarlier(Job job) {
        Job earlier = job.getTicket().wantsRerun() || rerunByOperator.test(job) ? null : ledger.latestSentWithDedupeKey(job.getDedupeKey(), job.getId());
        if (earlier != null) {
            job.setEarlierJobId(earlier.getId());
            LOG.info("Job {} is the same input as job {} ({}); not sending it again", job.getId(), earlier.getId(), earlier.getState());
        } else {
            ledger.record(job);
        }
        return job;
    }
}
