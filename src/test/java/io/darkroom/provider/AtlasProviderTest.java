package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every use case through Atlas Cloud's protocol, against a simulator that follows docs/providers.md. */
class AtlasProviderTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(300));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.poll.initial-delay", "100");
        // coffee.png (466 kB) goes through uploadMedia, the smaller samples inline
        properties.put("darkroom.providers.atlas.upload-above-bytes", "300000");
    }

    @Test
    void eachUseCaseReachesItsModelThroughThatModelsRequestShape() throws Exception {
        sample("rocket.jpg", "poster.jpg");
        write("poster.yaml", "prompt: a launch poster\ntext: \"Lift Off 2027\"\n");
        sample("chelsea.png", "cat-a.png");
        sample("coffee.png", "cat-b.png");
        write("cat.json", "{\"prompt\": \"same character in a library\", \"references\": [\"cat-a.png\", \"cat-b.png\"]}");
        sample("coffee.png", "mug.png");
        write("mug.txt", "the mug on marble, morning light");
        sample("coffee.png", "volume.png");
        write("volume.yaml", "prompt: colourways\nvariants: 6\nsize: 1024x1024\n");
        write("skyline.txt", "a city skyline at dawn");
        write("quick.yaml", "prompt: a quick sketch of a bicycle\nuseCase: fast\n");

        awaitFinished(6, Duration.ofSeconds(30));
        assertEquals(6, outcomes().delivered(), "failed: " + filesUnder(failed));

        Map<String, JsonNode> byModel = new HashMap<>();
        simulator.get().submittedBodies().forEach(body -> byModel.put(body.path("model").asText(), body));
        assertEquals(6, byModel.size(), "one submit per job: " + byModel.keySet());

        JsonNode text = byModel.get("openai/gpt-image-2/edit");
        assertEquals(1, text.path("images").size());
        assertTrue(text.path("images").get(0).asText().startsWith("data:image/jpeg;base64,"), "reference sent as a data URI");
        assertTrue(text.path("prompt").asText().contains("Lift Off 2027"), "text to render goes into the prompt");

        JsonNode character = byModel.get("google/nano-banana-2/edit").path("images");
        assertEquals(2, character.size());
        assertTrue(character.get(0).asText().startsWith("data:image/png;base64,"), "small reference inline");
        assertTrue(character.get(1).asText().startsWith("http"), "large reference uploaded first, sent as its URL");
        assertEquals(1, byModel.get("black-forest-labs/flux-2-pro/edit").path("images").size());
        assertEquals(3, simulator.get().uploadCount(), "each large reference uploaded once");

        // docs/providers.md: Seedream's edit model takes no count; its edit-sequential model gives up to max_images
        JsonNode variants = byModel.get("bytedance/seedream-v5.0-lite/edit-sequential");
        assertEquals(1, variants.path("images").size(), "edit-sequential takes an images array");
        assertEquals("2048*2048", variants.path("size").asText(), "1024x1024 fitted to the nearest preset");
        assertEquals(6, variants.path("max_images").asInt());
        assertTrue(variants.path("num_images").isMissingNode());

        for (String textOnly : List.of("google/imagen4-ultra", "z-image/turbo")) {
            JsonNode body = byModel.get(textOnly);
            assertTrue(body.path("images").isMissingNode() && body.path("image").isMissingNode(), textOnly + " gets no image field");
        }

        assertDelivered("text", "openai/gpt-image-2", 1);
        assertDelivered("character", "google/nano-banana-2", 1);
        assertDelivered("brand", "black-forest-labs/flux-2-pro", 1);
        assertDelivered("variants", "bytedance/seedream-v5.0-lite", 6);
        assertDelivered("hero", "google/imagen-4-ultra", 1);
        assertDelivered("fast", "z-image/turbo", 1);

        assertEquals(List.of(), simulator.get().violations(), "every request fits its model's schema");
        assertTrue(simulator.get().submits().stream().allMatch(s -> "Bearer test-atlas-key".equals(s.header("Authorization"))));
        assertTrue(simulator.get().submits().stream().allMatch(s -> s.header("Idempotency-Key") != null), "idempotency key on every submit");
    }

    private void assertDelivered(String useCase, String model, int outputs) throws Exception {
        Path folder = jobFolder(useCase);
        JsonNode manifest = readJson(folder.resolve(folder.getFileName() + ".json"));
        assertEquals(model, manifest.at("/plan/model").asText());
        assertEquals("atlas", manifest.at("/plan/provider").asText());
        assertFalse(manifest.at("/providerJobId").asText().isEmpty(), "provider job id recorded");
        assertTrue(manifest.at("/polls").asInt() >= 1, "polled at least once");
        assertFalse(manifest.at("/timings/submitted").isNull());
        assertFalse(manifest.at("/timings/completed").isNull());
        assertEquals(outputs, manifest.at("/outputs").size(), useCase);
        for (JsonNode output : manifest.at("/outputs")) {
            assertTrue(folder.resolve(output.at("/file").asText()).toFile().length() > 0);
        }
    }
}
