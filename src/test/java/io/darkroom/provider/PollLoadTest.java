package io.darkroom.provider;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many jobs waiting on a slow provider hold no thread each: the live thread count stays small and
 * fixed while 1,000 jobs are in flight.
 */
class PollLoadTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(40_000).setConcurrencyCap(5000));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.providers.atlas.max-in-flight", "1000");
        // told: a thousand jobs go out at once, not one more per accepted submit
        properties.put("darkroom.providers.atlas.initial-in-flight", "1000");
        properties.put("darkroom.poll.initial-delay", "200");
        properties.put("darkroom.poll.max-delay", "1000");
        properties.put("darkroom.budget.per-day-usd", "0");
    }

    @Test
    void athousandJobsInFlightHoldASmallFixedNumberOfThreads() throws Exception {
        int before = darkroomThreads();
        for (int i = 0; i < 1000; i++) {
            write("t/" + i + ".txt", "a skyline number " + i);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> simulator.get().inFlight() >= 990);
        int during = darkroomThreads();
        // jobs last 40 s so that all are in flight together however slowly they go out; counted, they may end
        simulator.get().finishRunningJobs();

        awaitFinished(1000, Duration.ofSeconds(120));
        assertEquals(1000, outcomes().delivered(), "failed: " + outcomes().failed());
        assertEquals(1000, simulator.get().submitCount());
        assertTrue(during - before <= 40, "threads grew from " + before + " to " + during + " with 990+ jobs in flight");
    }

    /** Live threads of this JVM, less the simulator's own. */
    private static int darkroomThreads() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return (int) Arrays.stream(threads).map(ThreadInfo::getThreadName)
                .filter(name -> !name.startsWith("atlas-sim") && !name.startsWith("HTTP-Dispatcher")).count();
    }
}
