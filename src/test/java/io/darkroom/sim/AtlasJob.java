package io.darkroom.sim;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated prediction. Its status is computed from the time since submit, so nothing has to
 * sleep or tick: a poll simply asks "what are you at this moment?".
 */
final class AtlasJob {

    private final String id;
    private final String model;
    private final String prompt;
    private final Set<AtlasFault> faults;
    private final int outputCount;
    private final String outputFormat;
    private final boolean base64Output;
    private final boolean syncMode;
    private final long submittedMillis;
    private final long durationMillis;
    private final boolean startsAsProcessing;
    private final Instant createdAt = Instant.now();
    private final AtomicInteger polls = new AtomicInteger();
    /** A test may end the job sooner than drawn (see AtlasSimulator#finishRunningJobs). */
    private volatile long finishedEarlyAtMillis = InFlightJobs.NEVER;

    AtlasJob(String id, String model, String prompt, Set<AtlasFault> faults, int outputCount, String outputFormat,
             boolean base64Output, boolean syncMode, long submittedMillis, long durationMillis,
             boolean startsAsProcessing) {
        this.id = id;
        this.model = model;
        this.prompt = prompt;
        this.faults = faults;
        this.outputCount = outputCount;
        this.outputFormat = outputFormat;
        this.base64Output = base64Output;
        this.syncMode = syncMode;
        this.submittedMillis = submittedMillis;
        this.durationMillis = durationMillis;
        this.startsAsProcessing = startsAsProcessing;
    }

    String id() {
        return id;
    }

    String model() {
        return model;
    }

    String prompt() {
        return prompt;
    }

    boolean has(AtlasFault fault) {
        return faults.contains(fault);
    }

    int outputCount() {
        return has(AtlasFault.FEWER_OUTPUTS) ? Math.max(1, outputCount - 1) : has(AtlasFault.NSFW_EMPTY) ? 0 : outputCount;
    }

    String outputFormat() {
        return outputFormat;
    }

    boolean base64Output() {
        return base64Output;
    }

    boolean syncMode() {
        return syncMode;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Counts one poll of this job and returns its number, 1 for the first. */
    int countPoll() {
        return polls.incrementAndGet();
    }

    long finishMillis() {
        return has(AtlasFault.SLOW) ? InFlightJobs.NEVER : Math.min(finishedEarlyAtMillis, submittedMillis + durationMillis);
    }

    void finishBy(long nowMillis) {
        finishedEarlyAtMillis = Math.min(finishedEarlyAtMillis, nowMillis);
    }

    boolean isDoneAt(long nowMillis) {
        return nowMillis >= finishMillis();
    }

    /** Whether the job ended with images (a plain success, or a success whose files 404). */
    boolean succeededAt(long nowMillis) {
        return isDoneAt(nowMillis) && !has(AtlasFault.MODERATED) && !has(AtlasFault.FAILED_500)
                && !has(AtlasFault.UNKNOWN_STATUS) && !has(AtlasFault.ERROR_OBJECT);
    }

    /** The status string a poll at {@code nowMillis} reports. */
    String statusAt(long nowMillis, String successStatus) {
        if (isDoneAt(nowMillis)) {
            if (has(AtlasFault.MODERATED) || has(AtlasFault.FAILED_500) || has(AtlasFault.ERROR_OBJECT)) {
                return "failed";
            }
            if (has(AtlasFault.UNKNOWN_STATUS)) {
                return "paused-for-review";
            }
            return successStatus;
        }
        if (startsAsProcessing) {
            return "processing";
        }
        // Half the jobs walk created -> starting -> processing, the vocabulary Atlas' clients poll through.
        long elapsed = nowMillis - submittedMillis;
        if (elapsed * 3 < durationMillis) {
            return "created";
        }
        if (elapsed * 3 < durationMillis * 2) {
            return "starting";
        }
        return "processing";
    }
}
