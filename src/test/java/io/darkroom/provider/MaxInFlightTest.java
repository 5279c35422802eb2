package io.darkroom.provider;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** darkroom.providers.NAME.max-in-flight caps the jobs a provider holds; the rest wait in order. */
class MaxInFlightTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(1000).setConcurrencyCap(5000));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.providers.atlas.max-in-flight", "20");
        properties.put("darkroom.poll.initial-delay", "200");
        properties.put("darkroom.poll.max-delay", "20");
        properties.put("darkroom.budget.per-day-usd", "0");
    }

    @Test
    void maxInFlightIsNeverExceeded() throws Exception {
        for (int i = 0; i < 120; i++) {
            write("t/" + i + ".txt", "a bridge number " + i);
        }
        awaitFinished(120, Duration.ofSeconds(90));
        assertEquals(120, outcomes().delivered());
        assertTrue(simulator.get().maxInFlightSeen() <= 20, "provider saw " + simulator.get().maxInFlightSeen() + " jobs at once");
        assertTrue(simulator.get().maxInFlightSeen() >= 15, "and the cap was actually used: " + simulator.get().maxInFlightSeen());
        assertEquals(0, simulator.get().rateLimitedCount());
    }

}
