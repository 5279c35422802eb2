package io.darkroom.provider;

import io.darkroom.job.Job;
import io.darkroom.plan.Plan;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.PriorityQueue;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poll schedule against a provider whose jobs all take the same time, on a simulated clock: it
 * learns the duration and stays there, instead of drifting later with every job it sees finished.
 */
class PollScheduleTest {

    private static final String MODEL = "black-forest-labs/flux-2-pro/edit";

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final PollSchedule schedule = new PollSchedule(1000, 15000, 60000, clock);

    private record Poll(long atMillis, Job job) {
    }

    /** What a run of jobs cost: polls per job, and how long after finishing a job was seen finished. */
    private record Outcome(double pollsPerJob, double meanLagMillis) {
    }

    /**
     * Runs {@code jobs} jobs of {@code durationMillis} each, {@code concurrency} at a time, polling each
     * when the schedule says and learning as ProviderCalls does. Figures cover the second half only.
     */
    private Outcome run(int jobs, int concurrency, long durationMillis) {
        PriorityQueue<Poll> due = new PriorityQueue<>(Comparator.comparingLong(Poll::atMillis));
        Set<Job> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        int submitted = 0;
        long polls = 0;
        long lag = 0;
        for (; submitted < concurrency; submitted++) {
            due.add(submit());
        }
        while (!due.isEmpty()) {
            Poll poll = due.poll();
            clock.millis = poll.atMillis();
            Job job = poll.job();
            long submittedAt = Instant.parse(job.getSubmittedAt()).toEpochMilli();
            long elapsed = clock.millis - submittedAt;
            if (counted.contains(job)) {
                polls++;
            }
            if (elapsed < durationMillis) {
                job.setSeenRunningAtMillis(clock.millis);
                due.add(new Poll(clock.millis + schedule.nextPollDelay(job, null), job));
                continue;
            }
            Long running = job.getSeenRunningAtMillis() == null ? null : job.getSeenRunningAtMillis() - submittedAt;
            schedule.learn(MODEL, running, elapsed);
            if (counted.contains(job)) {
                lag += elapsed - durationMillis;
            }
            if (submitted < jobs) {
                Poll next = submit();
                if (submitted >= jobs / 2) {
                    counted.add(next.job());
                }
                submitted++;
                due.add(next);
            }
        }
        return new Outcome((double) polls / counted.size(), (double) lag / counted.size());
    }

    private Poll submit() {
        Job job = new Job();
        job.setPlan(new Plan("brand", "black-forest-labs/flux-2-pro", "atlas", MODEL, "test", 0.05));
        job.setSubmittedAt(clock.instant().toString());
        return new Poll(clock.millis + schedule.nextPollDelay(job, null), job);
    }

    @Test
    void beforeAnythingIsLearnedTheFirstPollWaitsAboutTheInitialDelay() {
        Job job = submit().job();
        assertNull(schedule.typicalMillis(MODEL));
        long delay = schedule.nextPollDelay(job, null);
        assertTrue(delay >= 800 && delay <= 1200, "first poll after " + delay + " ms");
    }

    @Test
    void learnsTheDurationAndStaysThereOverManyJobs() {
        Outcome outcome = run(2000, 50, 2000);
        long typical = schedule.typicalMillis(MODEL);
        // it probes slightly early on purpose, and never drifts late
        assertTrue(typical > 1600 && typical < 2100, "learned " + typical + " ms for 2000 ms jobs");
        assertTrue(outcome.meanLagMillis() < 50, "jobs were seen " + outcome.meanLagMillis() + " ms after they finished");
        assertTrue(outcome.pollsPerJob() < 2.5, outcome.pollsPerJob() + " polls per job");
    }

    @Test
    void aTooLongEstimateComesDown() {
        for (int i = 0; i < 20; i++) {
            schedule.learn(MODEL, 4900L, 5000);
        }
        run(600, 20, 2000);
        long typical = schedule.typicalMillis(MODEL);
        assertTrue(typical < 2100, "still expects " + typical + " ms after 600 jobs of 2000 ms");
    }

    @Test
    void aJobRunningLateIsAskedAgainSoonThenLessOften() {
        for (int i = 0; i < 20; i++) {
            schedule.learn(MODEL, 1950L, 2050);
        }
        Job job = submit().job();
        assertEquals(2000 + 12, schedule.nextPollDelay(job, null), "first poll just after the usual duration");
        clock.millis += 2050;
        long soon = schedule.nextPollDelay(job, null);
        assertTrue(soon >= 20 && soon <= 30, "25 ms gaps at first, got " + soon);
        clock.millis += 10_000;
        long later = schedule.nextPollDelay(job, null);
        assertTrue(later >= 4000, "gaps widen as the job runs late, got " + later);
    }
}
