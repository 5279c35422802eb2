package io.darkroom.bench;

/** What one scenario measured, filled in by {@link ScenarioRun}; every figure the table shows is derived here. */
final class ScenarioResult {

    final Scenario scenario;
    long referenceBytes;
    int exitCode;
    double loadAverage;
    long startMillis;
    long endMillis;
    int delivered;
    int failed;
    long firstSubmitMillis = Long.MAX_VALUE;
    long lastCompletionMillis = Long.MIN_VALUE;
    double cpuAtFirstSubmit;
    double cpuAtLastCompletion;
    int peakThreads;
    long peakHeapUsedKb;
    long peakHeapCommittedKb;
    ProcessSampler.GcLog gc;
    long peakRssKb;
    double cpuSeconds;
    long polls;
    long rateLimited;
    int maxInFlightSeen;
    long capacityRefused;
    long rateRefused;
    long requests;
    int maxRequestsInAnySecond;
    /** The in-flight limit Darkroom learned (-1: it logged none). */
    int learnedLimit = -1;
    /** Durations the provider drew for the jobs it created (lognormal scenarios only). */
    final java.util.List<Long> jobDurationsMillis = new java.util.ArrayList<>();
    /** Jobs in flight when the live heap was measured; -1 when it was not. */
    int inFlightAtProbe = -1;
    NaiveClient.Result baseline;

    ScenarioResult(Scenario scenario) {
        this.scenario = scenario;
    }

    double wallSeconds() {
        return (endMillis - startMillis) / 1000.0;
    }

    /** First submit to last completion, as Darkroom recorded them in the manifests. */
    double steadySeconds() {
        return delivered == 0 ? Double.NaN : (lastCompletionMillis - firstSubmitMillis) / 1000.0;
    }

    double steadyJobsPerSecond() {
        return delivered / steadySeconds();
    }

    double wallJobsPerSecond() {
        return delivered / wallSeconds();
    }

    /** The shortest time any client could take: for drawn latencies, their greedy schedule on C slots. */
    double idealSeconds() {
        return scenario.idealSeconds(jobDurationsMillis);
    }

    /** Ideal time over measured time (= measured throughput over C / L); NaN for an instant provider. */
    double ratioSteady() {
        return scenario.latencyMillis() == 0 ? Double.NaN : idealSeconds() / steadySeconds();
    }

    double ratioWall() {
        return scenario.latencyMillis() == 0 ? Double.NaN : idealSeconds() / wallSeconds();
    }

    /** 429s as a share of all requests Darkroom sent. */
    double refusedShare() {
        return requests == 0 ? Double.NaN : (double) rateLimited / requests;
    }

    double cpuMillisPerJob() {
        return cpuSeconds * 1000 / scenario.jobs();
    }

    /** CPU between first submit and last completion, per job: the per-job cost without start-up. */
    double steadyCpuMillisPerJob() {
        return (cpuAtLastCompletion - cpuAtFirstSubmit) * 1000 / scenario.jobs();
    }

    double pollsPerJob() {
        return (double) polls / scenario.jobs();
    }

    /** Darkroom's throughput over the naive client's, from start to exit (start-up included). */
    double speedUpWall() {
        return baseline == null ? Double.NaN : wallJobsPerSecond() / baseline.jobsPerSecond();
    }

    double speedUpSteady() {
        return baseline == null ? Double.NaN : steadyJobsPerSecond() / baseline.jobsPerSecond();
    }

    /** Counts one delivered job from its manifest times. */
    void delivered(long submittedMillis, long completedMillis) {
        delivered++;
        firstSubmitMillis = Math.min(firstSubmitMillis, submittedMillis);
        lastCompletionMillis = Math.max(lastCompletionMillis, completedMillis);
    }
}
