package io.darkroom.hardening;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider that takes only two jobs at once and refuses the rest with 429: a refusal for capacity
 * is not a failure, so every job of the batch waits for a slot and is delivered, however many
 * refusals that takes.
 */
class CapacityRefusalTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(400).setConcurrencyCap(2));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.providers.atlas.max-in-flight", "20");
        properties.put("darkroom.submit.max-attempts", "3");
        properties.put("darkroom.budget.per-day-usd", "0");
    }

    @Test
    void jobsRefusedForCapacityWaitForASlotInsteadOfFailing() throws Exception {
        for (int i = 0; i < 10; i++) {
            write("batch/" + i + ".txt", "a lighthouse number " + i);
        }
        awaitFinished(10, Duration.ofSeconds(90));
        assertEquals(10, outcomes().delivered(), outcomes().summary());
        assertEquals(0, outcomes().failed());
        assertTrue(simulator.get().rateLimitedCount() > 0, "the provider did refuse for capacity");
        assertTrue(simulator.get().maxInFlightSeen() <= 2);
    }
}
