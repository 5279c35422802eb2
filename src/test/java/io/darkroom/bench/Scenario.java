package io.darkroom.bench;

import java.util.List;
import java.util.PriorityQueue;

/**
 * One benchmark run: N jobs with one reference image each (side x side random pixels) against a
 * provider whose jobs take {@code latencyMillis} (the median of a lognormal distribution when
 * {@code latencyP95Millis} is set, drawn from a fixed seed) and which holds at most {@code cap} at
 * once and, when {@code rateCap} > 0, answers at most that many requests a second. When
 * {@code told}, Darkroom runs with max-in-flight = cap and no request budget; otherwise it is told
 * neither and runs on its defaults. {@code baselineJobs} > 0 also drives the naive client;
 * {@code probeLiveHeap} measures Darkroom's live heap once the most jobs it can hold are in flight.
 */
record Scenario(String name, String purpose, int jobs, long latencyMillis, long latencyP95Millis, int rateCap, boolean told, int cap,
                int imageSide, int baselineJobs, boolean probeLiveHeap) {

    /** The seed of the lognormal latencies: the same for every run, so runs compare. */
    static final long SEED = 20261202;

    /** A provider whose jobs all take the same time, with Darkroom told its cap. */
    static Scenario fixed(String name, String purpose, int jobs, long latencyMillis, int cap, int imageSide, int baselineJobs,
                          boolean probeLiveHeap) {
        return new Scenario(name, purpose, jobs, latencyMillis, 0, 0, true, cap, imageSide, baselineJobs, probeLiveHeap);
    }

    /**
     * The ideal for the latencies the provider actually drew: each job in order on the slot that
     * frees first (greedy list scheduling on {@code cap} slots); the last end is the makespan.
     */
    double idealSeconds(List<Long> durationsMillis) {
        if (durationsMillis.isEmpty()) {
            return idealSeconds();
        }
        PriorityQueue<Long> slots = new PriorityQueue<>();
        for (int i = 0; i < cap; i++) {
            slots.add(0L);
        }
        long makespan = 0;
        for (long duration : durationsMillis.subList(0, Math.min(jobs, durationsMillis.size()))) {
            long end = slots.poll() + duration;
            makespan = Math.max(makespan, end);
            slots.add(end);
        }
        return makespan / 1000.0;
    }

    /** The provider's ceiling, C / L jobs per second; infinite for an instant provider. */
    double idealJobsPerSecond() {
        return latencyMillis == 0 ? Double.POSITIVE_INFINITY : cap * 1000.0 / latencyMillis;
    }

    /**
     * The shortest time any client can take from first submit to last completion: ceil(N / C)
     * rounds of L each (= N / (C / L) when C divides N; the last round is the tail).
     */
    double idealSeconds() {
        return Math.ceil((double) jobs / cap) * latencyMillis / 1000.0;
    }
}
