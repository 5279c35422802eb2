package io.darkroom.deliver;

import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;

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
        ledger.transition(job, JobState.DELIVERED);
        archiver(job).done(job);
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
