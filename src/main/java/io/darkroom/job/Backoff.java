package io.darkroom.job;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, for every request Darkroom repeats (provider calls, webhooks). */
public final class Backoff {

    private Backoff() {
    }

    /** initial × 2^(attempt-1), at most max, then jittered. attempt counts from 1. */
    public static long delay(long initialMillis, long maxMillis, int attempt) {
        return jitter(Math.min(maxMillis, (long) (initialMillis * Math.pow(2, Math.max(0, attempt - 1)))));
    }

    /** ±20 %, so that requests that failed together are not repeated in lockstep. */
    public static long jitter(long delayMillis) {
        return (long) (delayMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }
}
