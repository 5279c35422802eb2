package io.darkroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.DarkroomProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Runs one scenario end to end: inputs into a fresh inbox, the simulator in its own JVM, Darkroom
 * {@code --once} from the packaged jar in its own JVM (sampled from outside), then the naive
 * client against the same simulator.
 */
final class ScenarioRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_MILLIS = 100;

    /**
     * Darkroom settings the benchmark sets unless the caller's environment already does: a short
     * intake scan so the fixed start-up latency (two scans, the second one calling files stable)
     * does not dominate a 40 s run.
     */
    static final Map<String, String> INTAKE_DEFAULTS = Map.of(
            "DARKROOM_INTAKE_POLL_INTERVAL", "250",
            "DARKROOM_INTAKE_MIN_AGE", "0");

    private final Scenario scenario;
    private final Path jar;
    private final String darkroomHeap;
    private final boolean keep;

    ScenarioRun(Scenario scenario, Path jar, String darkroomHeap, boolean keep) {
        this.scenario = scenario;
        this.jar = jar;
        this.darkroomHeap = darkroomHeap;
        this.keep = keep;
    }

    ScenarioResult run(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Path work = Files.createTempDirectory(workDir, "darkroom-bench-" + scenario.name() + "-");
        try {
            return runIn(work);
        } finally {
            if (keep) {
                System.out.println("  kept " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    private ScenarioResult runIn(Path work) throws Exception {
        Path home = work.resolve("darkroom");
        System.out.printf("  writing %d reference images of %dx%d ...%n", scenario.jobs(), scenario.imageSide(), scenario.imageSide());
        List<Path> images = ReferenceImages.writeJobs(home.resolve("inbox"), scenario.jobs(), scenario.imageSide(), 1);
        long referenceBytes = Files.size(images.get(0));
        List<Path> baselineImages = scenario.baselineJobs() > 0
                ? ReferenceImages.writeJobs(work.resolve("baseline"), scenario.baselineJobs(), scenario.imageSide(), 1_000_000)
                : List.of();

        String apiKey = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (SimulatorProcess atlas = SimulatorProcess.start(scenario, apiKey, work.resolve("simulator.log"))) {
            DarkroomProcess darkroom = new DarkroomProcess(home).jar(jar).maxHeap(darkroomHeap)
                    .jvmOption("-Xlog:gc:file=" + home.resolve("gc.log"))
                    .env("ATLAS_API_KEY", apiKey)
                    .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl())
                    .env("DARKROOM_BUDGET_PER_DAY_USD", "0")
                    .env("OPENAI_API_KEY", "")
                    .env("DARKROOM_LEDGER_URL", "");
            if (scenario.told()) {
                // the provider's cap, and no request limit to keep to
                darkroom.env("DARKROOM_PROVIDERS_ATLAS_MAX_IN_FLIGHT", String.valueOf(scenario.cap()))
                        .env("DARKROOM_PROVIDERS_ATLAS_INITIAL_IN_FLIGHT", String.valueOf(scenario.cap()))
                        .env("DARKROOM_PROVIDERS_ATLAS_MAX_REQUESTS_PER_SECOND", "0");
            }
            INTAKE_DEFAULTS.forEach((name, value) -> {
                if (System.getenv(name) == null) {
                    darkroom.env(name, value);
                }
            });

            System.out.printf("  running Darkroom --once: %d jobs, L = %d ms, C = %d ...%n", scenario.jobs(), scenario.latencyMillis(), scenario.cap());
            double loadBefore = loadAverage();
            long startMillis = System.currentTimeMillis();
            darkroom.start("--once");
            int exitCode;
            ProcessSampler sampler = new ProcessSampler(darkroom.pid(), SAMPLE_MILLIS);
            LiveHeapProbe probe = scenario.probeLiveHeap()
                    ? new LiveHeapProbe(atlas, darkroom.pid(), Math.min(scenario.jobs(), scenario.cap())) : null;
            try {
                exitCode = darkroom.waitFor(timeoutSeconds());
            } finally {
                sampler.close();
                if (probe != null) {
                    probe.close();
                }
            }
            long endMillis = System.currentTimeMillis();
            JsonNode stats = atlas.stats();

            ScenarioResult result = new ScenarioResult(scenario);
            result.referenceBytes = referenceBytes;
            result.exitCode = exitCode;
            result.loadAverage = loadBefore;
            result.startMillis = startMillis;
            result.endMillis = endMillis;
            result.peakThreads = sampler.peakThreads();
            result.peakHeapUsedKb = sampler.peakHeapUsedKb();
            result.peakHeapCommittedKb = sampler.peakHeapCommittedKb();
            result.gc = ProcessSampler.GcLog.read(home.resolve("gc.log"));
            result.peakRssKb = sampler.peakRssKb();
            result.cpuSeconds = sampler.cpuSeconds();
            result.polls = stats.path("polls").asLong();
            result.rateLimited = stats.path("rateLimited").asLong();
            result.maxInFlightSeen = stats.path("maxInFlightSeen").asInt();
            result.capacityRefused = stats.path("capacityRefused").asLong();
            result.rateRefused = stats.path("rateRefused").asLong();
            result.requests = stats.path("submits").asLong() + result.polls + stats.path("downloads").asLong() + stats.path("uploads").asLong();
            result.maxRequestsInAnySecond = stats.path("maxRequestsInAnySecond").asInt();
            stats.path("jobDurationsMillis").forEach(d -> result.jobDurationsMillis.add(d.asLong()));
            result.learnedLimit = learnedLimit(darkroom.log());
            result.inFlightAtProbe = probe == null ? -1 : probe.inFlightWhenProbed();
            readManifests(home.resolve("outbox"), result);
            result.failed = countFailed(home.resolve("failed"));
            result.cpuAtFirstSubmit = sampler.cpuSecondsAt(result.firstSubmitMillis);
            result.cpuAtLastCompletion = sampler.cpuSecondsAt(result.lastCompletionMillis);

            if (!baselineImages.isEmpty()) {
                System.out.printf("  running the naive client on %d jobs (3 s sleeps) ...%n", baselineImages.size());
                result.baseline = new NaiveClient(atlas.baseUrl(), apiKey).run(baselineImages);
            }
            if (exitCode != 0) {
                System.out.println("  Darkroom exited " + exitCode + "; its log ends:\n" + tail(darkroom.log(), 15));
            }
            return result;
        }
    }

    /** The last in-flight limit Darkroom logged for the provider; -1 when it never changed one. */
    private static int learnedLimit(Path log) {
        int learned = -1;
        try {
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("in-flight limit now ");
                if (at >= 0) {
                    learned = Integer.parseInt(line.substring(at + "in-flight limit now ".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return learned;
        }
        return learned;
    }

    private long timeoutSeconds() {
        double ideal = scenario.latencyMillis() == 0 ? 0 : scenario.idealSeconds();
        return (long) (ideal * 4) + 120 + scenario.jobs() / 10;
    }

    /** Every manifest (outbox/USECASE/JOB/JOB.json) gives a delivered job's submit and completion times. */
    private static void readManifests(Path outbox, ScenarioResult result) throws IOException {
        if (!Files.isDirectory(outbox)) {
            return;
        }
        try (Stream<Path> files = Files.walk(outbox)) {
            for (Path file : files.filter(ScenarioRun::isManifest).toList()) {
                JsonNode manifest = JSON.readTree(file.toFile());
                JsonNode timings = manifest.path("timings");
                if (timings.hasNonNull("submitted") && timings.hasNonNull("completed")) {
                    result.delivered(Instant.parse(timings.get("submitted").asText()).toEpochMilli(),
                            Instant.parse(timings.get("completed").asText()).toEpochMilli());
                }
            }
        }
    }

    private static boolean isManifest(Path file) {
        Path parent = file.getParent();
        return parent != null && file.getFileName().toString().equals(parent.getFileName() + ".json");
    }

    private static int countFailed(Path failed) throws IOException {
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(failed)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".error.json")).count();
        }
    }

    /** The 1-minute load average: how busy the machine was before the run (other work skews the figures). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
