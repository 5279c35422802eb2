package io.darkroom.provider;

import io.darkroom.job.Backoff;
import io.darkroom.job.Job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * When to ask a provider again, from what this model's jobs really take. Retry-After wins
 * (capped). Otherwise the first poll goes at the model's learned median duration, and a job still
 * running then is asked again at times that grow by two fifths each (1.4, 2, 2.7 × the median),
 * so a job costs two or three polls, more in its long tail, and is seen finished about a quarter
 * of its own duration later on average. Two polls of one job are never closer than the minimum
 * interval, nor further apart than the maximum delay. Until a model's median is known, polls
 * start at the initial delay and double.
 *
 * <p>The median is tracked from the first polls themselves: a first poll that finds the job done
 * at the estimate moves it a little earlier, one that finds it still running a little later, so it
 * settles where half the jobs are done at their first poll, whatever the shape of the latencies.
 * Only first polls taken at (within 5 % of) the current estimate count, so many jobs polled
 * together from an older estimate cannot push it all one way.
 *
 * <p>A model whose jobs all take about the same time is polled differently. Its spread (log-normal,
 * in log space) is learned from second polls: how many jobs running at the first poll were done at
 * the second, against what the current spread predicts. When its 95th percentile lies within the
 * minimum interval of its median, a first poll at the median would find half its jobs running and
 * hold them a whole interval more; so once it lies within half the interval (a margin, so that a
 * wandering estimate does not flip it), the first poll tracks the 99th percentile instead
 * (starting at the median and rising, as that is the quick direction: a job found running moves it
 * ninety-nine times as far as a done one moves it back), and almost every job costs one poll and is
 * seen soon after it ended. Those first polls are spread over ±1 % so that jobs sent together each
 * say something. If the percentile drifts a whole interval past the median (the model got slower
 * or less regular), the model is polled from its median again. Both start from the finished jobs
 * in the ledger, so a restart does not begin from nothing.
 */
public class PollSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(PollSchedule.class);

    /** How far one first poll moves the median estimate (in log space, up or down). */
    private static final double STEP = 0.03;
    /** A first poll this close to the median counts as taken at it. */
    private static final double AT_ESTIMATE = 0.05;
    /** Each later poll target is this many times the one before. */
    private static final double GROWTH = 1.4;
    /** How far a job found running moves the 99th percentile up; a done one moves it down a ninety-ninth of that. */
    private static final double PERCENTILE_STEP_UP = 0.0095;
    private static final double PERCENTILE_STEP_DOWN = PERCENTILE_STEP_UP / 99;
    /** First polls aimed at the 99th percentile go this share early or late, at random. */
    private static final double DITHER = 0.01;
    /** The standard normal quantile of the 95th percentile. */
    private static final double Z95 = 1.645;
    /** The spread assumed until one is learned: wide, as for most models (first polls at the median). */
    private static final double DEFAULT_SPREAD = 0.6;
    /** How far one second poll moves the spread estimate (in log space). */
    private static final double SPREAD_STEP = 0.5;
    private static final double MIN_SPREAD = 0.002;
    private static final double MAX_SPREAD = 3.0;

    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long retryAfterCapMillis;
    private final long minIntervalMillis;
    private final Clock clock;
    private final Map<String, Double> medianMillis = new ConcurrentHashMap<>();
    private final Map<String, Double> spreads = new ConcurrentHashMap<>();
    /** Present for the models whose first polls aim at their 99th percentile. */
    private final Map<String, Double> percentile99Millis = new ConcurrentHashMap<>();

    /** Draws the dither of first polls and the jitter of blind ones; a test gives a seeded one so its runs repeat. */
    private RandomGenerator dither = new Random();

    void setDither(RandomGenerator dither) {
        this.dither = dither;
    }

    public PollSchedule(long initialDelayMillis, long maxDelayMillis, long retryAfterCapMillis, long minIntervalMillis, Clock clock) {
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = Math.max(maxDelayMillis, minIntervalMillis);
        this.retryAfterCapMillis = retryAfterCapMillis;
        this.minIntervalMillis = minIntervalMillis;
        this.clock = clock;
    }

    /** Starts each model's estimates from durations of jobs that finished earlier (submit to completion). */
    public void seed(Map<String, ? extends Collection<Long>> durationsByModel) {
        durationsByModel.forEach((model, durations) -> {
            List<Long> sorted = new ArrayList<>(durations);
            if (sorted.isEmpty()) {
                return;
            }
            sorted.sort(null);
            double median = Math.max(1, sorted.get(sorted.size() / 2));
            medianMillis.put(model, median);
            if (sorted.size() >= 20) {
                double squares = 0;
                for (long duration : sorted) {
                    double log = Math.log(Math.max(1, duration) / median);
                    squares += log * log;
                }
                setSpread(model, median, Math.sqrt(squares / sorted.size()));
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
            String model = job.getPlan().getProviderModel();
            Double median = medianMillis.get(model);
            if (median == null) {
                delay = Backoff.delay(Math.max(initialDelayMillis, minIntervalMillis), maxDelayMillis, job.getPolls() + 1, dither);
            } else {
                Double percentile99 = percentile99Millis.get(model);
                // jobs sent together are first polled a little apart, so each says something of its own
                double target = percentile99 == null ? median : percentile99 * (1 + DITHER * (2 * dither.nextDouble() - 1));
                // the next step of first × 1.4^k after this moment, and not before the floor
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
        if (job.getSubmittedAt() != null) {
            String model = job.getPlan().getProviderModel();
            if (job.getPolls() == 1) {
                learnFromFirstPoll(job, model, false);
            } else if (job.getPolls() == 2) {
                learnSpread(job, model, clock.millis() - Instant.parse(job.getSubmittedAt()).toEpochMilli(), false);
            }
        }
        job.setSeenRunningAtMillis(clock.millis());
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
            if (medianMillis.putIfAbsent(model, (double) finished) != null) {
                learnFromFirstPoll(job, model, true);
            }
        } else {
            if (job.getPolls() == 2) {
                learnSpread(job, model, finished, true);
            }
            // no estimate yet: it ended between the last poll that saw it running and this one
            long running = job.getSeenRunningAtMillis() == null ? 0 : job.getSeenRunningAtMillis() - submitted;
            medianMillis.putIfAbsent(model, Math.max(1.0, (running + finished) / 2.0));
        }
    }

    /**
     * A first poll found the job done or running; it moves the estimate it was aimed at, when it
     * was taken at it (within 5 %). The 99th percentile moves whichever side of it the dither put
     * the poll: counting only running polls past it and done ones before it would let it settle
     * where the early half of the dither still finds a third of the jobs running.
     */
    private void learnFromFirstPoll(Job job, String model, boolean done) {
        long elapsed = clock.millis() - Instant.parse(job.getSubmittedAt()).toEpochMilli();
        if (percentile99Millis.containsKey(model)) {
            Double percentile99 = percentile99Millis.computeIfPresent(model, (m, estimate) -> Math.abs(elapsed / estimate - 1) <= AT_ESTIMATE
                    ? estimate * Math.exp(done ? -PERCENTILE_STEP_DOWN : PERCENTILE_STEP_UP) : estimate);
            Double median = medianMillis.get(model);
            if (percentile99 != null && median != null && percentile99 - median >= minIntervalMillis) {
                // no longer a model whose jobs barely differ: back to its median, from where its jobs end now
                percentile99Millis.remove(model);
                spreads.remove(model);
                medianMillis.put(model, percentile99);
                LOG.info("Poll schedule of {}: its 99th percentile ({} ms) drifted a whole interval past its median ({} ms); "
                        + "first polls go at the median again", model, Math.round(percentile99), Math.round(median));
            }
        } else {
            // a first poll planned from a different estimate says nothing about this one, whichever way it went
            medianMillis.computeIfPresent(model, (m, median) -> Math.abs(elapsed / median - 1) <= AT_ESTIMATE
                    ? median * Math.exp(done ? -STEP : STEP) : median);
        }
    }

    /**
     * A second poll at {@code elapsed} found the job done or running; the first found it running.
     * The log-normal spread predicts what share of such jobs are done by now; a done one where fewer
     * were expected says the jobs are more alike than thought, a running one says they differ more.
     */
    private void learnSpread(Job job, String model, long elapsed, boolean done) {
        Double median = medianMillis.get(model);
        Long seenRunning = job.getSeenRunningAtMillis();
        if (median == null || seenRunning == null || percentile99Millis.containsKey(model)) {
            return;
        }
        double first = seenRunning - Instant.parse(job.getSubmittedAt()).toEpochMilli();
        if (first < 0.9 * median || elapsed <= first) {
            return; // a blind first poll, well before the median, says little about the spread
        }
        double spread = spreads.getOrDefault(model, DEFAULT_SPREAD);
        double runningAtFirst = 1 - normalCdf(Math.log(first / median) / spread);
        double doneSince = normalCdf(Math.log(elapsed / median) / spread) - (1 - runningAtFirst);
        double expected = runningAtFirst <= 1e-9 ? 1 : doneSince / runningAtFirst;
        setSpread(model, median, spread * Math.exp(SPREAD_STEP * (expected - (done ? 1 : 0))));
    }

    /** Keeps a model's spread; one narrow enough starts its first polls at the median, aimed at the 99th percentile. */
    private void setSpread(String model, double median, double spread) {
        double bounded = Math.max(MIN_SPREAD, Math.min(MAX_SPREAD, spread));
        spreads.put(model, bounded);
        // half the interval to enter, the whole one to leave: a spread estimate wandering near the edge does not flip it
        if (median * Math.exp(Z95 * bounded) - median < minIntervalMillis / 2.0 && percentile99Millis.putIfAbsent(model, median) == null) {
            LOG.info("Poll schedule of {}: its jobs barely differ (median {} ms, spread {}); first polls aim at the 99th percentile",
                    model, Math.round(median), String.format(Locale.ROOT, "%.3f", bounded));
        }
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
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
