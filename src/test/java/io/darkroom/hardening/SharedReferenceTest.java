package io.darkroom.hardening;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three tickets naming one image, the later two picked up while the first runs and waiting for a
 * provider slot: the image stays in the inbox until the last job using it is final, so all three run.
 */
class SharedReferenceTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(800));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.providers.atlas.max-in-flight", "1");
        properties.put("darkroom.intake.missing-reference-grace", "0");
    }

    @Test
    void aReferenceNamedByThreeTicketsServesAllThree() throws Exception {
        sample("chelsea.png", "shared.png");
        write("first.json", "{\"prompt\": \"the cat as a sticker\", \"references\": [\"shared.png\"]}");
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.get().submitCount() == 1);
        write("second.json", "{\"prompt\": \"the cat as a poster\", \"references\": [\"shared.png\"]}");
        write("third.yaml", "prompt: the cat as a mascot\nreferences: [./shared.png]\n");

        awaitFinished(3, Duration.ofSeconds(30));
        assertEquals(3, outcomes().delivered(), outcomes().summary() + " " + filesUnder(failed));
        assertEquals(List.of(), filesUnder(inbox));
        assertTrue(filesUnder(done).containsAll(List.of("first.json", "second.json", "third.yaml", "shared.png")), filesUnder(done).toString());
    }
}
