package io.darkroom.job;

import io.darkroom.intake.JobClaims;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where every job ends, whatever the path: frees its input files and counts it for the run summary
 * and for {@code --once}. (Its provider slot is passed on by the route pass-provider-slot.)
 */
public class JobOutcomes {

    private final JobClaims claims;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    /** Cluster mode: jobs that went on to another node through the broker; they end there. */
    private final AtomicInteger handedOff = new AtomicInteger();
    /** Told of every job that reached its end: metrics, the --once progress bar. */
    private final List<Consumer<Job>> listeners = new CopyOnWriteArrayList<>();
    /** Cluster mode: the job's claims on its inputs in the shared ledger, let go when it ends. */
    private volatile Consumer<String> releaseClusterClaims = jobId -> { };

    public JobOutcomes(JobClaims claims) {
        this.claims = claims;
    }

    public void setReleaseClusterClaims(Consumer<String> release) {
        this.releaseClusterClaims = release;
    }

    public void started(Job job) {
        started.incrementAndGet();
    }

    public void finished(Job job) {
        releaseLocalClaims(job);
        releaseClusterClaims.accept(job.getId());
        switch (job.getState()) {
            case DELIVERED -> {
                if (job.getEarlierJobId() != null) {
                    duplicates.incrementAndGet();
                } else {
                    delivered.incrementAndGet();
                }
            }
            case HELD -> held.incrementAndGet();
            default -> failed.incrementAndGet();
        }
        listeners.forEach(listener -> listener.accept(job));
    }

    /**
     * Cluster mode: the job went to another node through the broker. It no longer counts against
     * this node's share of the inbox; its inputs stay claimed in the ledger until it ends there.
     */
    public void handedOff(Job job) {
        releaseLocalClaims(job);
        handedOff.incrementAndGet();
    }

    private void releaseLocalClaims(Job job) {
        // a shared reference this job already let go of (see SharedReferences) is not released twice
        claims.release(job.getInputs().stream().filter(input -> !job.getLeftEarly().contains(input)).toList());
    }

    public void onFinished(Consumer<Job> listener) {
        listeners.add(listener);
    }

    public int startedCount() {
        return started.get();
    }

    /** A file set aside at intake before it became a job (a name that cannot be read): counts as failed. */
    public void setAsideAtIntake() {
        started.incrementAndGet();
        failed.incrementAndGet();
    }

    public int inProgress() {
        return started.get() - delivered.get() - failed.get() - held.get() - duplicates.get() - handedOff.get();
    }

    public int delivered() { return delivered.get(); }
    public int failed() { return failed.get(); }
    public int held() { return held.get(); }
    public int duplicates() { return duplicates.get(); }

    public String summary() {
        return "darkroom: " + delivered.get() + " delivered, " + failed.get() + " failed, " + held.get() + " held"
                + (duplicates.get() > 0 ? ", " + duplicates.get() + " already done earlier" : "");
    }
}
