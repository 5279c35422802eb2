package io.darkroom.bench;

/**
 * One benchmark run: N jobs with one reference image each (side x side random pixels) against a
 * provider whose jobs take {@code latencyMillis} and which holds at most {@code cap} at once.
 * Darkroom runs with max-in-flight = cap. {@code baselineJobs} > 0 also drives the naive client;
 * {@code probeLiveHeap} measures Darkroom's live heap once the most jobs it can hold are in flight.
 */
record Scenario(String name, String purpose, int jobs, long latencyMillis, int cap, int imageSide, int baselineJobs,
                boolean probeLiveHeap) {

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
