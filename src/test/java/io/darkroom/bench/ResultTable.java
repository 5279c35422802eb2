package io.darkroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The benchmark's table: one row per figure, one column per scenario, as Markdown. */
final class ResultTable {

    private record Row(String label, Function<ScenarioResult, String> value) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("jobs N", r -> String.valueOf(r.scenario.jobs())),
            new Row("job latency L", r -> seconds(r.scenario.latencyMillis() / 1000.0)),
            new Row("provider cap C (= max-in-flight)", r -> String.valueOf(r.scenario.cap())),
            new Row("reference image", r -> r.scenario.imageSide() + "² px, " + megabytes(r.referenceBytes / 1024.0) + " MB"),
            new Row("delivered / failed (exit code)", r -> r.delivered + " / " + r.failed + " (" + r.exitCode + ")"),
            new Row("wall time, start to exit", r -> seconds(r.wallSeconds())),
            new Row("steady state, first submit to last completion", r -> seconds(r.steadySeconds())),
            new Row("throughput, steady (jobs/s)", r -> number(r.steadyJobsPerSecond(), 1)),
            new Row("throughput, wall (jobs/s)", r -> number(r.wallJobsPerSecond(), 1)),
            new Row("ideal C / L (jobs/s)", r -> r.scenario.latencyMillis() == 0 ? "∞" : number(r.scenario.idealJobsPerSecond(), 1)),
            new Row("ideal time (ceil(N/C)·L; drawn latencies: greedy on C slots)", r -> r.scenario.latencyMillis() == 0 ? "0" : seconds(r.idealSeconds())),
            new Row("**ratio to ideal, steady**", r -> bold(number(r.ratioSteady(), 3))),
            new Row("ratio to ideal, wall", r -> number(r.ratioWall(), 3)),
            new Row("peak live threads (OS, whole JVM)", r -> String.valueOf(r.peakThreads)),
            new Row("peak heap used, sampled (MB)", r -> megabytes(r.peakHeapUsedKb)),
            new Row("peak heap after GC (MB)", r -> r.gc.peakAfterKb() < 0 ? "no GC" : megabytes(r.gc.peakAfterKb())),
            new Row("live heap with jobs in flight (MB, forced full GC)", r -> r.inFlightAtProbe < 0 || r.gc.forcedAfterKb() < 0 ? "-"
                    : megabytes(r.gc.forcedAfterKb()) + " with " + r.inFlightAtProbe + " in flight"),
            new Row("GC pauses: count (full), total", r -> r.gc.pauses() + " (" + r.gc.fullCollections() + "), " + seconds(r.gc.pauseSeconds())),
            new Row("peak heap committed (MB)", r -> megabytes(r.peakHeapCommittedKb)),
            new Row("peak RSS (MB)", r -> megabytes(r.peakRssKb)),
            new Row("CPU, whole run (s)", r -> number(r.cpuSeconds, 1)),
            new Row("CPU per job, whole run (ms)", r -> number(r.cpuMillisPerJob(), 1)),
            new Row("CPU per job, steady state (ms)", r -> number(r.steadyCpuMillisPerJob(), 1)),
            new Row("polls per job", r -> number(r.pollsPerJob(), 2)),
            new Row("429s received", r -> String.valueOf(r.rateLimited)),
            new Row("429s: for capacity / for request rate", r -> r.capacityRefused + " / " + r.rateRefused),
            new Row("429s, share of requests", r -> number(r.refusedShare() * 100, 2) + " %"),
            new Row("most requests in one second", r -> String.valueOf(r.maxRequestsInAnySecond)),
            new Row("in-flight limit learned", r -> r.learnedLimit < 0 ? "-" : String.valueOf(r.learnedLimit)),
            new Row("most jobs in flight at the provider", r -> String.valueOf(r.maxInFlightSeen)),
            new Row("naive client (submit, sleep 3 s, poll)", r -> r.baseline == null ? "-"
                    : r.baseline.completed() + " jobs in " + seconds(r.baseline.seconds()) + " = " + number(r.baseline.jobsPerSecond(), 3) + " jobs/s"),
            new Row("**speed-up over naive**, wall (steady)", r -> r.baseline == null ? "-"
                    : bold(number(r.speedUpWall(), 0) + "x") + " (" + number(r.speedUpSteady(), 0) + "x)"),
            new Row("load average before the run", r -> number(r.loadAverage, 2)));

    private ResultTable() {
    }

    static String markdown(List<ScenarioResult> results) {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder("| scenario |");
        StringBuilder rule = new StringBuilder("|---|");
        for (ScenarioResult r : results) {
            header.append(' ').append(r.scenario.name()).append(" |");
            rule.append("---:|");
        }
        lines.add(header.toString());
        lines.add(rule.toString());
        for (Row row : ROWS) {
            StringBuilder line = new StringBuilder("| ").append(row.label()).append(" |");
            for (ScenarioResult r : results) {
                line.append(' ').append(row.value().apply(r)).append(" |");
            }
            lines.add(line.toString());
        }
        return String.join("\n", lines) + "\n";
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "-" : number(value, value < 10 ? 2 : 1) + " s";
    }

    private static String megabytes(double kilobytes) {
        return number(kilobytes / 1024.0, 1);
    }

    private static String bold(String text) {
        return text.equals("-") ? text : "**" + text + "**";
    }

    private static String number(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
