package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When Atlas changes a model (a renamed field, a narrowed enum), a job whose request no longer fits
 * fails with MODEL_SCHEMA before anything is sent, naming the field, the value and what is allowed.
 */
class SchemaDriftTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(200));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        // Atlas changed two models before Darkroom started (Darkroom reads the schemas at start)
        simulator.get().changeSchema("google/nano-banana-2/edit", input -> {
            ArrayNode ratios = (ArrayNode) input.at("/properties/aspect_ratio/enum");
            ratios.removeAll();
            ratios.add("1:1").add("4:3").add("3:4");
        });
        simulator.get().changeSchema("z-image/turbo", input -> {
            ObjectNode fields = (ObjectNode) input.get("properties");
            fields.set("random_seed", fields.remove("seed"));
        });
    }

    @Test
    void aRequestTheLiveSchemaNoLongerTakesCostsNothing() throws Exception {
        sample("chelsea.png", "wide.png");
        write("wide.yaml", "prompt: the cat, wide\nmodel: google/nano-banana-2\nsize: 1200x628\n");
        write("seeded.yaml", "prompt: a paper boat\nuseCase: fast\nseed: 7\n");
        write("fine.yaml", "prompt: a paper plane\nuseCase: fast\n");

        awaitFinished(3, Duration.ofSeconds(30));
        assertEquals(1, outcomes().delivered(), "the request that still fits is delivered: " + filesUnder(failed));
        JsonNode wide = errorFor(failed, "wide.yaml");
        assertEquals("MODEL_SCHEMA", wide.at("/code").asText());
        assertTrue(wide.at("/message").asText().contains("aspect_ratio"), wide.toString());
        assertTrue(wide.at("/message").asText().contains("\"16:9\""), wide.toString());
        JsonNode seeded = errorFor(failed, "seeded.yaml");
        assertEquals("MODEL_SCHEMA", seeded.at("/code").asText());
        assertTrue(seeded.at("/message").asText().contains("'seed'"), seeded.toString());
        assertEquals(1, simulator.get().submitCount(), "nothing sent for the two that no longer fit");
        assertTrue(Files.isRegularFile(data.resolve("schemas/atlas.json")), "the live schemas are cached under the data folder");
    }
}
