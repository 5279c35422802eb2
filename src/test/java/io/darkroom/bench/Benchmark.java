package io.darkroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run}: Darkroom against the Atlas simulator, next to the provider's ceiling (C / L)
 * and to the naive one-job-at-a-time client. Options (all {@code --name value}):
 *
 * <pre>
 * --scenarios main,small,instant,large   which runs, in this order (realistic is run only when named)
 * --jobs 1000 --latency-ms 2000 --cap 50 --image-side 512 --baseline-jobs 10    main
 * --small-jobs 200                                           small: main with fewer jobs (threads vs N)
 * --instant-cap 1000                                         instant: L = 0, Darkroom's own cost per job
 * --large-jobs 1000 --large-latency-ms 100000 --large-cap 1000 --large-image-side 1180  large: 4.0 MB references
 *                      (L must exceed the time it takes to send them all, or they are never all in flight;
 *                      1180 px keeps each file just under upload-above-bytes, 4 MiB, so it is sent inline)
 * --realistic-jobs 1000 --realistic-p50-ms 15000 --realistic-p95-ms 40000 --realistic-cap 20 --realistic-rate-cap 10
 *                      realistic: lognormal latencies (seeded), a cap of jobs in flight and of requests a
 *                      second, both answered with 429 and no Retry-After, neither told to Darkroom
 * --darkroom-heap 256m   -Xmx for Darkroom, as in the tests; "none" leaves the heap to the JVM's own sizing
 * --keep true            keep the work folders (inbox, outbox, logs) for a look afterwards
 * --work-dir DIR         where the work folders go (default: the system's temporary folder; the
 *                        large scenario needs about 5 GB there while it runs)
 * </pre>
 */
public final class Benchmark {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("--scenarios", "main,small,instant,large");
        DEFAULTS.put("--jobs", "1000");
        DEFAULTS.put("--latency-ms", "2000");
        DEFAULTS.put("--cap", "50");
        DEFAULTS.put("--image-side", "512");
        DEFAULTS.put("--baseline-jobs", "10");
        DEFAULTS.put("--small-jobs", "200");
        DEFAULTS.put("--instant-cap", "1000");
        DEFAULTS.put("--large-jobs", "1000");
        DEFAULTS.put("--large-latency-ms", "100000");
        DEFAULTS.put("--large-cap", "1000");
        DEFAULTS.put("--large-image-side", "1180");
        DEFAULTS.put("--realistic-jobs", "1000");
        DEFAULTS.put("--realistic-p50-ms", "15000");
        DEFAULTS.put("--realistic-p95-ms", "40000");
        DEFAULTS.put("--realistic-cap", "20");
        DEFAULTS.put("--realistic-rate-cap", "10");
        DEFAULTS.put("--darkroom-heap", "256m");
        DEFAULTS.put("--keep", "false");
        DEFAULTS.put("--work-dir", System.getProperty("java.io.tmpdir"));
        DEFAULTS.put("--jar", "target/darkroom.jar");
        DEFAULTS.put("--out", "target/bench/latest.md");
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("usage: bench/run [--name value]...  options and their defaults:");
            DEFAULTS.forEach((name, value) -> System.out.printf("  %-20s %s%n", name, value.isEmpty() ? "(none)" : value));
            System.out.println("what each scenario does and what the figures mean: bench/README.md");
            return;
        }
        Map<String, String> options = parse(args);
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : options.get("--scenarios").split(",")) {
            scenarios.add(scenario(name.trim(), options));
        }
        Path jar = Path.of(options.get("--jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: build it first (mvn package)");
        }
        String heap = options.get("--darkroom-heap").equals("none") ? null : options.get("--darkroom-heap");
        boolean keep = Boolean.parseBoolean(options.get("--keep"));

        String started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"));
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            System.out.printf("%n== %s: %s%n", scenario.name(), scenario.purpose());
            results.add(new ScenarioRun(scenario, jar, heap, keep).run(Path.of(options.get("--work-dir"))));
        }

        String report = "Darkroom benchmark, " + started + "\n" + Machine.describe() + "\n"
                + "Darkroom JVM: " + (heap == null ? "default heap sizing" : "-Xmx" + heap)
                + "; intake scan every " + setting("DARKROOM_INTAKE_POLL_INTERVAL") + " ms, min-age " + setting("DARKROOM_INTAKE_MIN_AGE") + " ms\n\n"
                + ResultTable.markdown(results);
        System.out.println();
        System.out.print(report);
        Path out = Path.of(options.get("--out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println("\n(also written to " + out + ")");
    }

    private static String setting(String name) {
        String value = System.getenv(name);
        return value != null ? value : ScenarioRun.INTAKE_DEFAULTS.get(name);
    }

    private static Scenario scenario(String name, Map<String, String> o) {
        return switch (name) {
            case "main" -> Scenario.fixed("main", "throughput against the provider's ceiling C / L, and the naive client",
                    integer(o, "--jobs"), integer(o, "--latency-ms"), integer(o, "--cap"), integer(o, "--image-side"), integer(o, "--baseline-jobs"), false);
            case "small" -> Scenario.fixed("small", "the main scenario with fewer jobs: threads must not depend on N",
                    integer(o, "--small-jobs"), integer(o, "--latency-ms"), integer(o, "--cap"), integer(o, "--image-side"), 0, false);
            case "instant" -> Scenario.fixed("instant", "a provider that answers at once (L = 0): Darkroom's own cost per job",
                    integer(o, "--jobs"), 0, integer(o, "--instant-cap"), integer(o, "--image-side"), 0, false);
            case "large" -> Scenario.fixed("large", "large references, all in flight at once: memory",
                    integer(o, "--large-jobs"), integer(o, "--large-latency-ms"), integer(o, "--large-cap"), integer(o, "--large-image-side"), 0, true);
            case "realistic" -> new Scenario("realistic", "real-world latencies, a cap and a request limit Darkroom is not told",
                    integer(o, "--realistic-jobs"), integer(o, "--realistic-p50-ms"), integer(o, "--realistic-p95-ms"),
                    integer(o, "--realistic-rate-cap"), false, integer(o, "--realistic-cap"), integer(o, "--image-side"), 0, false);
            default -> throw new IllegalArgumentException("unknown scenario " + name + "; known: main, small, instant, large, realistic");
        };
    }

    private static int integer(Map<String, String> options, String name) {
        return Integer.parseInt(options.get(name).replace("_", ""));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            if (!DEFAULTS.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("not understood: " + Arrays.asList(args).subList(i, args.length) + " (see bench/run --help)");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    /** Where the figures came from. */
    static final class Machine {
        private Machine() {
        }

        static String describe() {
            String cpu = "unknown CPU";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            } catch (IOException ignored) {
                // not Linux: the name stays unknown
            }
            long memoryGb = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024));
            return String.format("Machine: %s, %d cores, %d GiB; %s %s on %s %s", cpu, Runtime.getRuntime().availableProcessors(), memoryGb,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
        }
    }
}
