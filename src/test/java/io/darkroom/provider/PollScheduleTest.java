package io.darkroom.provider;

import io.darkroom.job.Job;
import io.darkroom.plan.Plan;
import io.darkroom.sim.LognormalLatency;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poll schedule on a simulated clock, against jobs of fixed and of lognormal durations: it
 * learns each model's median, polls a job about twice, never twice within the minimum interval,
 * and sees a job finished soon after it did.
 */
class PollScheduleTest {

    private static final String MODEL = "black-forest-labs/flux-2-pro/edit";
    private static final long MIN_INTERVAL = 1000;

    /** A clock the test moves by hand. */
    private final ManualClock clock = new ManualClock();
    private final PollSchedule schedule = new PollSchedule(1000, 15000, 60000, MIN_INTERVAL, clock);

    {
        // the first-poll dither is random in use; seeded here, so every run of these tests is the same run
        schedule.setDither(new java.util.Random(3));
    }

    private record Poll(long atMillis, Job job, long durationMillis) {
    }

    /** What a run of jobs cost: polls per job, how long after finishing a job was seen finished, the closest two polls of a job. */
    private record Outcome(double pollsPerJob, double meanLagMillis, long minGapMillis) {
    }

    /**
     * Runs {@code jobs} jobs, {@code concurrency} at a time, each lasting what {@code durations}
     * gives, polling each when the schedule says and telling the schedule what each poll saw, as
     * ProviderCalls does. Figures cover the second half only.
     */
    private Outcome run(int jobs, int concurrency, LongSupplier durations) {
        PriorityQueue<Poll> due = new PriorityQueue<>(Comparator.comparingLong(Poll::atMillis));
        Set<Job> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Job, Long> lastPoll = new IdentityHashMap<>();
        int submitted = 0;
        long polls = 0;
        long lag = 0;
        long minGap = Long.MAX_VALUE;
        for (; submitted < concurrency; submitted++) {
            due.add(submit(durations.getAsLong()));
        }
        while (!due.isEmpty()) {
            Poll poll = due.poll();
            clock.millis = poll.atMillis();
            Job job = poll.job();
            job.setPolls(job.getPolls() + 1);
            Long previous = lastPoll.put(job, clock.millis);
            if (previous != null) {
                minGap = Math.min(minGap, clock.millis - previous);
            }
            long elapsed = clock.millis - Instant.parse(job.getSubmittedAt()).toEpochMilli();
            if (counted.contains(job)) {
                polls++;
            }
            if (elapsed < poll.durationMillis()) {
                schedule.sawRunning(job);
                due.add(new Poll(clock.millis + schedule.nextPollDelay(job, null), job, poll.durationMillis()));
                continue;
            }
            schedule.sawFinished(job);
            if (counted.contains(job)) {
                lag += elapsed - poll.durationMillis();
            }
            if (submitted < jobs) {
                Poll next = submit(durations.getAsLong());
                if (submitted >= jobs / 2) {
                    counted.add(next.job());
                }
                submitted++;
                due.add(next);
            }
        }
        return new Outcome((double) polls / counted.size(), (double) lag / counted.size(), minGap);
    }

    private Poll submit(long durationMillis) {
        Job job = new Job();
        job.setPlan(new Plan("brand", "black-forest-labs/flux-2-pro", "atlas", MODEL, "test", 0.05));
        job.setSubmittedAt(clock.instant().toString());
        return new Poll(clock.millis + schedule.nextPollDelay(job, null), job, durationMillis);
    }

    @Test
    void beforeAnythingIsLearnedTheFirstPollWaitsAboutTheInitialDelay() {
        Job job = submit(5000).job();
        assertNull(schedule.typicalMillis(MODEL));
        long delay = schedule.nextPollDelay(job, null);
        assertTrue(delay >= 1000 && delay <= 1200, "first poll after " + delay + " ms");
    }

    @Test
    void learnsTheMedianOfRealisticLatenciesAndPollsAboutTwicePerJob() {
        // p50 15 s, p95 40 s: Flux 2 Pro and Nano Banana 2 as published
        Outcome outcome = run(3000, 20, LognormalLatency.of(15_000, 40_000, 7));
        long median = schedule.typicalMillis(MODEL);
        assertTrue(median > 12_000 && median < 18_000, "learned a median of " + median + " ms for a 15000 ms median");
        assertTrue(outcome.pollsPerJob() <= 3.0, outcome.pollsPerJob() + " polls per job, median " + median + ", lag " + outcome.meanLagMillis());
        assertTrue(outcome.meanLagMillis() < 0.35 * 15_000, "jobs were seen " + outcome.meanLagMillis() + " ms after they finished");
        assertTrue(outcome.minGapMillis() >= MIN_INTERVAL, "two polls of one job " + outcome.minGapMillis() + " ms apart");
    }

    @Test
    void learnsAFixedDurationAndStaysThere() {
        Outcome outcome = run(2000, 50, () -> 2000);
        long typical = schedule.typicalMillis(MODEL);
        assertTrue(typical > 1700 && typical < 2300, "learned " + typical + " ms for 2000 ms jobs");
        assertTrue(outcome.pollsPerJob() < 2.0, outcome.pollsPerJob() + " polls per job");
        assertTrue(outcome.meanLagMillis() < 600, "jobs were seen " + outcome.meanLagMillis() + " ms after they finished");
        assertTrue(outcome.minGapMillis() >= MIN_INTERVAL, "two polls of one job " + outcome.minGapMillis() + " ms apart");
    }

    @Test
    void jobsThatBarelyDifferArePolledOnceJustPastTheirBulkNotAtTheirMedian() {
        // 2 s jobs give or take 30 ms: polled at the median, half would wait the whole minimum interval more
        java.util.Random jitter = new java.util.Random(11);
        Outcome outcome = run(2000, 50, () -> 1970 + jitter.nextInt(61));
        assertTrue(outcome.pollsPerJob() < 1.25, outcome.pollsPerJob() + " polls per job");
        assertTrue(outcome.meanLagMillis() < 250, "jobs were seen " + outcome.meanLagMillis() + " ms after they finished");
        assertTrue(outcome.minGapMillis() >= MIN_INTERVAL, "two polls of one job " + outcome.minGapMillis() + " ms apart");
    }

    @Test
    void theNormalDistributionFunctionIsRightWhereItIsUsed() {
        assertEquals(0.5, PollSchedule.normalCdf(0), 1e-7);
        assertEquals(0.95, PollSchedule.normalCdf(1.645), 1e-4);
        assertEquals(0.05, PollSchedule.normalCdf(-1.645), 1e-4);
        assertEquals(0.99865, PollSchedule.normalCdf(3), 1e-5);
    }

    @Test
    void aTooLongEstimateComesDown() {
        schedule.seed(Map.of(MODEL, List.of(5000L, 5000L, 5000L)));
        run(600, 20, () -> 2000);
        long typical = schedule.typicalMillis(MODEL);
        assertTrue(typical < 2300, "still expects " + typical + " ms after 600 jobs of 2000 ms");
    }

    @Test
    void startsFromTheDurationsOfEarlierJobs() {
        schedule.seed(Map.of(MODEL, List.of(14_000L, 20_000L, 9_000L, 15_000L, 16_000L)));
        assertEquals(15_000, schedule.typicalMillis(MODEL));
        assertEquals(15_000, schedule.nextPollDelay(submit(15_000).job(), null), "first poll at the median");
    }

    @Test
    void aJobRunningLateIsAskedAgainNoSoonerThanTheMinimumIntervalThenLessOften() {
        schedule.seed(Map.of(MODEL, List.of(2000L)));
        Job job = submit(60_000).job();
        assertEquals(2000, schedule.nextPollDelay(job, null), "first poll at the usual duration");
        clock.millis += 2000;
        long next = schedule.nextPollDelay(job, null);
        assertEquals(MIN_INTERVAL, next, "the next poll no sooner than the minimum interval");
        clock.millis += 20_000;
        clock.millis += schedule.nextPollDelay(job, null);
        long later = schedule.nextPollDelay(job, null);
        assertTrue(later >= 6000, "gaps widen as the job runs late (a third of the time so far), got " + later);
        assertTrue(schedule.nextPollDelay(job, 10L) >= MIN_INTERVAL, "a short Retry-After does not break the floor either");
    }
}
