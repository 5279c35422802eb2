package io.darkroom.job;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Exponential backoff with jitter, for every request Darkroom repeats (provider calls, webhooks). */
public final class Backoff {

    private Backoff() {
    }

    /** initial × 2^(attempt-1), at most max, then jittered. attempt counts from 1. */
    public static long delay(long initialMillis, long maxMillis, int attempt) {
        return delay(initialMillis, maxMillis, attempt, ThreadLocalRandom.current());
    }

    /** The same, jittered from the given source (a test's seeded one repeats its runs). */
    public static long delay(long initialMillis, long maxMillis, int attempt, RandomGenerator random) {
        return jitter(Math.min(maxMillis, (long) (initialMillis * Math.pow(2, Math.max(0, attempt - 1)))), random);
    }

    /** ±20 %, so that requests that failed together are not repeated in lockstep. */
    public static long jitter(long delayMillis) {
        return jitter(delayMillis, ThreadLocalRandom.current());
    }

    private static long jitter(long delayMillis, RandomGenerator random) {
        return (long) (delayMillis * (0.8 + 0.4 * random.nextDouble()));
    }
}
