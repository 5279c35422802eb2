package io.darkroom.provider;

import io.darkroom.job.Backoff;
import io.darkroom.job.Job;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask a provider again. Retry-After wins (capped). Otherwise the first poll goes just after
 * the time this model's jobs usually take (learned from finished jobs); a job still running then is
 * asked again at short gaps (an eightieth of that time) that widen as it runs late, with jitter, so
 * a job is seen soon after it finishes and a slow one is not hammered. Until something is learned
 * the gaps start at the initial delay.
 *
 * <p>The estimate is learned from what the polls showed, not from when a job was seen finished:
 * that moment includes the poll's own lateness, and learning it would push every next first poll
 * later still. A job seen running at one poll and finished at the next ended in between, so the
 * middle of that interval is a fair sample. A job already finished at its first poll only says "no
 * longer than this", so it moves the estimate slightly earlier: an estimate that is too long gets
 * corrected by the next job seen still running, instead of being learned again.
 */
public class PollSchedule {

    private static final double ALPHA = 0.2;
    /** How much earlier each job found finished at its first poll moves the estimate. */
    private static final double PROBE = 0.0025;
    /** Past the expected time, polls start this often: expected / 80, within [25 ms, initial delay]. */
    private static final long TIGHT_DIVISOR = 80;
    private static final long MIN_GAP_MILLIS = 25;

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
            Double typical = typicalMillis.get(job.getPlan().getProviderModel());
            if (typical == null) {
                delay = Backoff.jitter(Math.min(maxDelayMillis, Math.max(initialDelayMillis, elapsed / 2)));
            } else {
                long expected = Math.round(typical);
                long gap = Math.min(initialDelayMillis, Math.max(MIN_GAP_MILLIS, expected / TIGHT_DIVISOR));
                if (elapsed < expected) {
                    delay = expected - elapsed + gap / 2;
                } else {
                    delay = Backoff.jitter(Math.min(maxDelayMillis, Math.max(gap, (elapsed - expected) / 2)));
                }
            }
        }
        return clampToDeadline(job, now, delay);
    }

    /** The wait before repeating a request that failed transiently (network, 429, 5xx on a GET). */
    public long retryDelay(Job job, int attempt, Long retryAfterMillis) {
        long delay = retryAfterMillis != null
                ? Math.min(retryAfterMillis, retryAfterCapMillis)
                : Backoff.delay(initialDelayMillis, maxDelayMillis, attempt);
        return clampToDeadline(job, clock.millis(), delay);
    }

    private long clampToDeadline(Job job, long now, long delay) {
        if (job.getDeadlineAtMillis() > 0) {
            delay = Math.min(delay, Math.max(0, job.getDeadlineAtMillis() - now));
        }
        return Math.max(0, delay);
    }

    /**
     * Learns from a finished job of this model, seen finished {@code finishedMillis} after its submit
     * and last seen running {@code runningMillis} after it (null when no poll saw it running).
     */
    public void learn(String providerModel, Long runningMillis, long finishedMillis) {
        if (runningMillis == null) {
            typicalMillis.merge(providerModel, (double) finishedMillis, (old, ignored) -> old * (1 - PROBE));
        } else {
            typicalMillis.merge(providerModel, (runningMillis + finishedMillis) / 2.0, (old, sample) -> old + ALPHA * (sample - old));
        }
    }

    /** The learned usual duration of this model's jobs in milliseconds, or null before any finished. */
    public Long typicalMillis(String providerModel) {
        Double typical = typicalMillis.get(providerModel);
        return typical == null ? null : Math.round(typical);
    }

    public boolean isPastDeadline(Job job) {
        return job.getDeadlineAtMillis() > 0 && clock.millis() >= job.getDeadlineAtMillis();
    }
}
