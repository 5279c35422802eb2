package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A submit whose answer is lost (no answer at all, or a 500 after the job was created) is found in
 * Atlas' prediction history, then polled and delivered, with exactly one submit.
 */
class LostSubmitTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(300));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("camel.component.http.response-timeout", "2000");
        properties.put("camel.component.http.so-timeout", "2000");
    }

    @Test
    void aLostSubmitFoundInTheHistoryIsDeliveredWithOneSubmit() throws Exception {
        write("hang.txt", "[sim:submit-hang] a harbour at night");
        write("five.yaml", "prompt: \"[sim:submit-500] a lighthouse\"\nuseCase: fast\n");

        awaitFinished(2, Duration.ofSeconds(30));
        assertEquals(2, outcomes().delivered(), "failed: " + filesUnder(failed));
        assertEquals(1, simulator.get().submitCountForPrompt("[sim:submit-hang] a harbour at night"));
        assertEquals(1, simulator.get().submitCountForPrompt("[sim:submit-500] a lighthouse"));
        assertEquals(2, simulator.get().jobsCreatedCount(), "nothing paid twice");
        assertTrue(simulator.get().historyLookupCount() >= 2, "each lost submit looked up in the history");
        Path hero = jobFolder("hero");
        JsonNode manifest = readJson(hero.resolve(hero.getFileName() + ".json"));
        assertEquals(1, manifest.at("/outputs").size());
        assertTrue(manifest.at("/providerJobId").asText().matches("[0-9a-f]{32}"), manifest.toString());
    }
}
