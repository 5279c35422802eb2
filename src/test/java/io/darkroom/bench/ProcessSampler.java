package io.darkroom.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches another JVM from outside, so the measurement adds no thread to it: live threads, RSS and
 * CPU time from /proc every period, heap occupancy from {@code jstat -gc} (which reads the JVM's
 * perf-data file), and heap after each collection from the JVM's own GC log.
 */
final class ProcessSampler implements AutoCloseable {

    /** Linux reports CPU time in /proc in USER_HZ ticks, 100 per second on every mainstream build. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern GC_PAUSE_MILLIS = Pattern.compile("([\\d.]+)ms\\s*$");

    /** One look at the process. */
    record Sample(long atMillis, int threads, long rssKb, long peakRssKb, double cpuSeconds) {
    }

    private final long pid;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Sample> samples = new ArrayList<>();
    private final Thread heapReader;
    private volatile Process jstat;
    private volatile long peakHeapUsedKb;
    private volatile long peakHeapCommittedKb;

    ProcessSampler(long pid, long periodMillis) {
        this.pid = pid;
        timer.scheduleAtFixedRate(this::sampleProc, 0, periodMillis, TimeUnit.MILLISECONDS);
        // jstat is a JVM of its own: a slower beat keeps its CPU out of the figures
        heapReader = new Thread(() -> readHeap(Math.max(250, periodMillis)), "bench-jstat");
        heapReader.setDaemon(true);
        heapReader.start();
    }

    private void sampleProc() {
        try {
            String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
            Sample sample = new Sample(System.currentTimeMillis(), (int) statusValue(status, "Threads:"),
                    statusValue(status, "VmRSS:"), statusValue(status, "VmHWM:"), ticks / TICKS_PER_SECOND);
            synchronized (samples) {
                samples.add(sample);
            }
        } catch (IOException | RuntimeException gone) {
            // the process has ended (or not fully started): nothing to read this time
        }
    }

    private static long statusValue(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /** Runs {@code jstat -gc PID PERIOD} for the life of the process; retries a while until its perf data is there. */
    private void readHeap(long periodMillis) {
        String jstatCommand = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        int attemptsLeft = 20;
        while (attemptsLeft-- > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                jstat = new ProcessBuilder(jstatCommand, "-gc", String.valueOf(pid), String.valueOf(periodMillis))
                        .redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8));
                List<String> header = null;
                for (String line; (line = out.readLine()) != null; ) {
                    List<String> columns = Arrays.asList(line.trim().split("\\s+"));
                    if (columns.contains("EU")) {
                        header = columns;
                    } else if (header != null && columns.size() == header.size()) {
                        recordHeap(header, columns);
                    }
                }
                if (jstat.waitFor() == 0 && header != null) {
                    return; // ran until the process ended
                }
                Thread.sleep(periodMillis);
            } catch (IOException | InterruptedException e) {
                return; // no jstat in this JDK, or the run is over: heap figures come from the GC log only
            }
        }
    }

    private void recordHeap(List<String> header, List<String> values) {
        double used = 0;
        double committed = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            used += Double.parseDouble(values.get(header.indexOf(column)));
        }
        for (String column : List.of("S0C", "S1C", "EC", "OC")) {
            committed += Double.parseDouble(values.get(header.indexOf(column)));
        }
        peakHeapUsedKb = Math.max(peakHeapUsedKb, (long) used);
        peakHeapCommittedKb = Math.max(peakHeapCommittedKb, (long) committed);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        Process running = jstat;
        if (running != null) {
            running.destroy();
        }
        heapReader.join(5000);
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    int peakThreads() {
        return samples().stream().mapToInt(Sample::threads).max().orElse(0);
    }

    /** VmHWM: the kernel's own high-water mark of resident memory, so no peak is missed between samples. */
    long peakRssKb() {
        return samples().stream().mapToLong(s -> Math.max(s.rssKb(), s.peakRssKb())).max().orElse(0);
    }

    long peakHeapUsedKb() {
        return peakHeapUsedKb;
    }

    long peakHeapCommittedKb() {
        return peakHeapCommittedKb;
    }

    /** CPU seconds at the last sample (the process's total, up to one period short). */
    double cpuSeconds() {
        List<Sample> all = samples();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).cpuSeconds();
    }

    /** CPU seconds used by the moment {@code atMillis}, interpolated between samples. */
    double cpuSecondsAt(long atMillis) {
        List<Sample> all = samples();
        Sample before = null;
        for (Sample sample : all) {
            if (sample.atMillis() >= atMillis) {
                if (before == null) {
                    return sample.cpuSeconds();
                }
                double share = (double) (atMillis - before.atMillis()) / Math.max(1, sample.atMillis() - before.atMillis());
                return before.cpuSeconds() + share * (sample.cpuSeconds() - before.cpuSeconds());
            }
            before = sample;
        }
        return before == null ? 0 : before.cpuSeconds();
    }

    /**
     * What the JVM's {@code -Xlog:gc} file says: the largest heap occupancy right after a young or
     * full collection (-1 when none ran; old-generation garbage not yet collected still counts, so
     * this is an upper bound of the live data, yet far closer to it than occupancy sampled between
     * collections), how many pauses, how many of them full collections the JVM chose (not asked
     * for), their total length, and the heap left by a collection asked for from outside ({@code
     * jcmd GC.run}): the live data at that moment; -1 when none was asked for.
     */
    record GcLog(long peakAfterKb, int pauses, int fullCollections, double pauseSeconds, long forcedAfterKb) {

        static GcLog read(Path file) throws IOException {
            long peak = -1;
            int pauses = 0;
            int full = 0;
            double seconds = 0;
            long forced = -1;
            for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
                if (!line.contains(" Pause ")) {
                    continue;
                }
                pauses++;
                Matcher duration = GC_PAUSE_MILLIS.matcher(line);
                if (duration.find()) {
                    seconds += Double.parseDouble(duration.group(1)) / 1000;
                }
                // evacuation pauses only: Remark and Cleanup report occupancy before anything is freed
                boolean evacuation = line.contains("Pause Young") || line.contains("Pause Full");
                boolean asked = line.contains("(Diagnostic Command)") || line.contains("(System.gc())");
                full += line.contains("Pause Full") && !asked ? 1 : 0;
                Matcher heap = GC_HEAP.matcher(line);
                if (evacuation && heap.find()) {
                    long after = kilobytes(heap.group(3), heap.group(4));
                    peak = Math.max(peak, after);
                    forced = asked ? Math.max(forced, after) : forced;
                }
            }
            return new GcLog(peak, pauses, full, seconds, forced);
        }
    }

    private static long kilobytes(String number, String unit) {
        long value = Long.parseLong(number);
        return switch (unit) {
            case "G" -> value * 1024 * 1024;
            case "M" -> value * 1024;
            default -> value;
        };
    }
}
