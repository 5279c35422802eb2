package io.darkroom.plan;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Jobs accepted together never pass the daily budget: the ones that would are held, not sent. */
class BudgetTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(300));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        // flux-2-pro costs 0.05 a job in config/models.yaml: three fit, the other five are held
        properties.put("darkroom.budget.per-day-usd", "0.16");
    }

    @Test
    void theDailyBudgetHoldsWhatWouldPassIt() throws Exception {
        for (int i = 1; i <= 8; i++) {
            write("shot" + i + ".png", sampleBytes("chelsea.png"));
            write("shot" + i + ".yaml", "prompt: the cat, take " + i + "\nuseCase: brand\n");
        }
        awaitFinished(8, Duration.ofSeconds(30));
        assertEquals(3, outcomes().delivered());
        assertEquals(5, outcomes().held());
        assertEquals(3, simulator.get().submitCount(), "held jobs never reach the provider");
        assertEquals(10, filesUnder(held).stream().filter(f -> !f.endsWith(".error.json")).count(), "held inputs kept with an error file each");
    }
}
