package io.darkroom.provider;

import io.darkroom.job.Backoff;
import io.darkroom.job.Job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask a provider again, from what this model's jobs really take. Retry-After wins
 * (capped). Otherwise the first poll goes at the model's learned median duration, and a job still
 * running then is asked again at times that grow by a third each (1.35, 1.8, 2.5 × the median),
 * so a job costs about two polls, three or four in its tail, and is seen finished about a quarter
 * of its own duration later on average. Two polls of one job are never closer than the minimum interval, nor further apart than
 * the maximum delay. Until a model's median is known, polls start at the initial delay and double.
 *
 * <p>The median is tracked from the first polls themselves: a first poll that finds the job done
 * at the estimate moves it a little earlier, one that finds it still running a little later, so it
 * settles where half the jobs are done at their first poll, whatever the shape of the latencies.
 * Only first polls taken at (within 5 % of) the current estimate count, so many jobs polled
 * together from an older estimate cannot push it all one way. It starts from
 * the finished jobs in the ledger, so a restart does not begin from nothing.
 */
public class PollSchedule {

    /** How far one first poll moves the median estimate (in log space, up or down). */
    private static final double STEP = 0.03;
    /** Each later poll target is this many times the one before. */
    private static final double GROWTH = 1.35;
    /** A first poll this close to the estimate counts as taken at it. */
    private static final double AT_ESTIMATE = 0.05;

    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long retryAfterCapMillis;
    private final long minIntervalMillis;
    private final Clock clock;
    private final Map<String, Double> medianMillis = new ConcurrentHashMap<>();

    public PollSchedule(long initialDelayMillis, long maxDelayMillis, long retryAfterCapMillis, long minIntervalMillis, Clock clock) {
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = Math.max(maxDelayMillis, minIntervalMillis);
        this.retryAfterCapMillis = retryAfterCapMillis;
        this.minIntervalMillis = minIntervalMillis;
        this.clock = clock;
    }

    /** Starts each model's estimate from durations of jobs that finished earlier (submit to completion). */
    public void seed(Map<String, ? extends Collection<Long>> durationsByModel) {
        durationsByModel.forEach((model, durations) -> {
            List<Long> sorted = new ArrayList<>(durations);
            if (!sorted.isEmpty()) {
                sorted.sort(null);
                medianMillis.put(model, (double) Math.max(1, sorted.get(sorted.size() / 2)));
            }
        });
    }

    /** The wait before the next status request of a submitted job. */
    public long nextPollDelay(Job job, Long retryAfterMillis) {
        long now = clock.millis();
        long delay;
        if (retryAfterMillis != null) {
            delay = Math.max(minIntervalMillis, Math.min(retryAfterMillis, retryAfterCapMillis));
        } else {
            long elapsed = job.getSubmittedAt() == null ? 0 : now - Instant.parse(job.getSubmittedAt()).toEpochMilli();
            Double median = medianMillis.get(job.getPlan().getProviderModel());
            if (median == null) {
                delay = Backoff.delay(Math.max(initialDelayMillis, minIntervalMillis), maxDelayMillis, job.getPolls() + 1);
            } else {
                // the next step of median × 1.35^k after this moment, and not before the floor
                double target = median;
                while (target <= elapsed) {
                    target *= GROWTH;
                }
                delay = Math.min(maxDelayMillis, Math.max(Math.round(target), elapsed + minIntervalMillis) - elapsed);
            }
            delay = Math.max(minIntervalMillis, delay);
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

    /** The same for a status request: never sooner than the minimum interval between two polls. */
    public long pollRetryDelay(Job job, int attempt, Long retryAfterMillis) {
        return clampToDeadline(job, clock.millis(), Math.max(minIntervalMillis, retryDelay(job, attempt, retryAfterMillis)));
    }

    private long clampToDeadline(Job job, long now, long delay) {
        if (job.getDeadlineAtMillis() > 0) {
            delay = Math.min(delay, Math.max(0, job.getDeadlineAtMillis() - now));
        }
        return Math.max(0, delay);
    }

    /** A poll found the job still running. */
    public void sawRunning(Job job) {
        job.setSeenRunningAtMillis(clock.millis());
        if (job.getPolls() == 1 && job.getSubmittedAt() != null) {
            long elapsed = clock.millis() - Instant.parse(job.getSubmittedAt()).toEpochMilli();
            // only "still running past the current estimate" says the estimate is short
            medianMillis.computeIfPresent(job.getPlan().getProviderModel(),
                    (model, median) -> atEstimate(elapsed, median) ? median * Math.exp(STEP) : median);
        }
    }

    /** A poll (or the submit's answer) found the job finished. */
    public void sawFinished(Job job) {
        if (job.getSubmittedAt() == null || job.getPolls() == 0) {
            return;
        }
        String model = job.getPlan().getProviderModel();
        long submitted = Instant.parse(job.getSubmittedAt()).toEpochMilli();
        long finished = clock.millis() - submitted;
        if (job.getPolls() == 1) {
            // only "already done before the current estimate" says the estimate is long
            medianMillis.compute(model, (m, median) -> median == null ? (double) finished
                    : atEstimate(finished, median) ? median * Math.exp(-STEP) : median);
        } else {
            // no estimate yet: it ended between the last poll that saw it running and this one
            long running = job.getSeenRunningAtMillis() == null ? 0 : job.getSeenRunningAtMillis() - submitted;
            medianMillis.putIfAbsent(model, Math.max(1.0, (running + finished) / 2.0));
        }
    }

    /** A first poll planned from a different estimate says nothing about this one, whichever way it went. */
    private static boolean atEstimate(long firstPollMillis, double median) {
        return Math.abs(firstPollMillis / median - 1) <= AT_ESTIMATE;
    }

    /** The learned median duration of this model's jobs in milliseconds, or null before any finished. */
    public Long typicalMillis(String providerModel) {
        Double median = medianMillis.get(providerModel);
        return median == null ? null : Math.round(median);
    }

    public boolean isPastDeadline(Job job) {
        return job.getDeadlineAtMillis() > 0 && clock.millis() >= job.getDeadlineAtMillis();
    }
}
