package io.darkroom.provider;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** darkroom.providers.NAME.max-in-flight caps the jobs a provider holds; the rest wait in order. */
class MaxInFlightTest extends DarkroomTestSupport {

    private static AtlasSimulator atlas;

    @BeforeAll
    static void startSimulator() throws Exception {
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(1000).setConcurrencyCap(5000)).start();
    }

    @AfterAll
    static void stopSimulator() {
        atlas.stop();
    }

    @BeforeEach
    void resetSimulator() {
        atlas.reset();
    }

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.providers.atlas.base-url", atlas.baseUrl());
        properties.put("darkroom.providers.atlas.api-key", "test-atlas-key");
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
        assertTrue(atlas.maxInFlightSeen() <= 20, "provider saw " + atlas.maxInFlightSeen() + " jobs at once");
        assertTrue(atlas.maxInFlightSeen() >= 15, "and the cap was actually used: " + atlas.maxInFlightSeen());
        assertEquals(0, atlas.rateLimitedCount());
    }

}
