package io.darkroom.provider;

import io.darkroom.job.Job;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to ask a provider again. Retry-After wins (capped). Otherwise the first poll goes just after
 * the time this model's jobs usually take (learned from finished jobs), and from there the gaps
 * grow geometrically with jitter, so a fast job is seen soon and a slow one is not hammered.
 */
public class PollSchedule {

    private static final double ALPHA = 0.2;

    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long retryAfterCapMillis;
    private final Clock clock;
    private final Map<String, Double> typicalMillis = new ConcurrentHashMap<>();

    public PollSchedule(long initialDelayMillis, long maxDelayMillis, long retryAfterCapMillis, Clock clock) {
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.retryAfterCapMillis = retryAfterCapMillis;
        this.clock = clock;
    }

    /** The wait before the next status request of a submitted job. */
    public long nextPollDelay(Job job, Long retryAfterMillis) {
        long now = clock.millis();
        long delay;
        if (retryAfterMillis != null) {
            delay = Math.min(retryAfterMillis, retryAfterCapMillis);
        } else {
            long elapsed = job.getSubmittedAt() == null ? 0 : now - Instant.parse(job.getSubmittedAt()).toEpochMilli();
            long expected = Math.round(typicalMillis.getOrDefault(job.getPlan().getProviderModel(), 0.0));
            if (elapsed < expected) {
                delay = expected - elapsed + initialDelayMillis / 4;
            } else {
                long overdue = elapsed - expected;
                delay = Math.min(maxDelayMillis, Math.max(initialDelayMillis, overdue / 2));
                delay = jitter(delay);
            }
        }
        return clampToDeadline(job, now, delay);
    }

    /** The wait before repeating a request that failed transiently (network, 429, 5xx on a GET). */
    public long retryDelay(Job job, int attempt, Long retryAfterMillis) {
        long delay = retryAfterMillis != null
                ? Math.min(retryAfterMillis, retryAfterCapMillis)
                : jitter(Math.min(maxDelayMillis, (long) (initialDelayMillis * Math.pow(2, Math.max(0, attempt - 1)))));
        return clampToDeadline(job, clock.millis(), delay);
    }

    private long clampToDeadline(Job job, long now, long delay) {
        if (job.getDeadlineAtMillis() > 0) {
            delay = Math.min(delay, Math.max(0, job.getDeadlineAtMillis() - now));
        }
        return Math.max(0, delay);
    }

    private static long jitter(long delay) {
        // ±20 % so that jobs submitted together do not poll in lockstep
        return (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    /** Remembers how long a finished job of this model took. */
    public void learn(String providerModel, long durationMillis) {
        typicalMillis.merge(providerModel, (double) durationMillis, (old, sample) -> old + ALPHA * (sample - old));
    }

    public boolean isPastDeadline(Job job) {
        return job.getDeadlineAtMillis() > 0 && clock.millis() >= job.getDeadlineAtMillis();
    }
}
