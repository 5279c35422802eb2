package io.darkroom.deliver;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends a job durably, then puts its inputs away through the archiver of the intake it came from.
 * The ledger is written first: a crash before the inputs move leaves them in the inbox, where the
 * next scan recognises them as already done instead of paying again.
 */
public class JobArchive {

    private static final Logger LOG = LoggerFactory.getLogger(JobArchive.class);

    private final Map<String, SourceArchiver> archivers = new LinkedHashMap<>();
    private final JobLedger ledger;
    private final Clock clock;

    public JobArchive(JobLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    public void register(String source, SourceArchiver archiver) {
        archivers.put(source, archiver);
    }

    private SourceArchiver archiver(Job job) {
        SourceArchiver archiver = archivers.get(job.getSource());
        if (archiver == null) {
            throw new IllegalStateException("no archiver for jobs from " + job.getSource());
        }
        return archiver;
    }

    public void done(Job job) throws Exception {
        job.setDeliveredAt(Instant.now(clock).toString());
        if (job.getErrorCode() == ErrorCode.PARTIAL_RESULT) {
            // what came is delivered; the inputs go aside with an error file so the shortfall is seen
            ledger.transition(job, JobState.PARTIAL);
            archiver(job).failed(job);
            return;
        }
        ledger.transition(job, JobState.DELIVERED);
        archiver(job).done(job);
    }

    /**
     * Puts away the inputs of a job that ended on a node that died before doing so (cluster mode):
     * where its recorded end says. Should that fail, the inputs stay in the inbox, where the next
     * scan finds them as a repeat of this job and puts them away without paying again.
     */
    public void putAway(Job job) {
        try {
            if (job.getState() == JobState.DELIVERED) {
                archiver(job).done(job);
            } else {
                archiver(job).failed(job);
            }
        } catch (Exception e) {
            LOG.warn("Job {}: its inputs were not put away ({}); the next scan finds them as a repeat", job.getId(), e.getMessage());
        }
    }

    /** The failure is already in the ledger (see FailureRecorder). */
    public void failed(Job job) throws Exception {
        archiver(job).failed(job);
    }

    /** Records a repeated input as such and returns the note that names the earlier job. */
    public Map<String, Object> duplicate(Job job) {
        Job earlier = ledger.find(job.getEarlierJobId());
        boolean earlierFailed = earlier != null && (earlier.getState() == JobState.FAILED || earlier.getState() == JobState.SUBMIT_UNKNOWN);
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("job", job.getId());
        note.put("sameAsJob", job.getEarlierJobId());
        if (earlier != null) {
            note.put("earlierState", earlier.getState().name());
            note.put("earlierDestinations", earlier.getDestinations());
            note.put("earlierOutputs", earlier.getOutputs().stream().map(o -> o.getFileName()).toList());
            if (earlier.getErrorCode() != null) {
                note.put("earlierError", earlier.getErrorCode().name() + ": " + earlier.getErrorMessage());
            }
        }
        note.put("message", "This input is identical to job " + job.getEarlierJobId()
                + ", which was already sent to the provider, so it was not paid for again. "
                + "Add 'rerun: true' to the ticket to run it once more.");
        job.setActualCostUsd(0.0);
        job.setState(earlierFailed ? JobState.FAILED : JobState.DELIVERED);
        ledger.record(job);
        return note;
    }

    /** Puts a repeated input away (done/ or failed/, as the earlier job ended) with its note. */
    public void noted(Job job, Map<String, Object> note) throws Exception {
        archiver(job).note(job, job.getState() == JobState.FAILED ? "failed" : "done", note);
    }
}
