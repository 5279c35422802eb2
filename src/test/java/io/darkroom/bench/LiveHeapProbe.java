package io.darkroom.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Measures Darkroom's live heap at the moment the most jobs are in flight: watches the simulator
 * until {@code target} jobs are in flight, then asks the JVM for a full collection ({@code jcmd PID
 * GC.run}); the heap it leaves, read from the GC log, is the live data. Sampled occupancy cannot
 * tell that apart from garbage the collector has not needed to free yet.
 */
final class LiveHeapProbe implements AutoCloseable {

    private final Thread watcher;
    private volatile int inFlightWhenProbed = -1;

    LiveHeapProbe(SimulatorProcess atlas, long pid, int target) {
        watcher = new Thread(() -> watch(atlas, pid, target), "bench-live-heap");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch(SimulatorProcess atlas, long pid, int target) {
        try {
            while (true) {
                int inFlight = atlas.stats().path("inFlight").asInt();
                if (inFlight >= target) {
                    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
                    Process gc = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0) {
                        inFlightWhenProbed = inFlight;
                    }
                    return;
                }
                Thread.sleep(250);
            }
        } catch (IOException | InterruptedException e) {
            // the run ended first, or the JDK has no jcmd: no live figure
        }
    }

    /** Jobs in flight when the collection was asked for; -1 if it never was. */
    int inFlightWhenProbed() {
        return inFlightWhenProbed;
    }

    @Override
    public void close() throws InterruptedException {
        watcher.interrupt();
        watcher.join(5000);
    }
}
