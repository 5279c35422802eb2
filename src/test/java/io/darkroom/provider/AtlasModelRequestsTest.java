package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real ticket per Atlas model of the catalog (and Seedream's edit-sequential) through the whole
 * pipeline: the simulator, which validates like Atlas' schema gateway, refuses nothing, and each
 * request body equals its reviewed fixture in src/test/resources/atlas-requests/ (references shown
 * as placeholders). Run with -Dfixtures.write=true to rewrite the fixtures after a reviewed change.
 */
class AtlasModelRequestsTest extends DarkroomTestSupport {

    private static final Path FIXTURES = Path.of("src/test/resources/atlas-requests");

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(200));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
    }

    @Test
    void everyAtlasModelGetsExactlyTheFieldsItsSchemaTakes() throws Exception {
        Map<String, String> tickets = new LinkedHashMap<>();
        sample("rocket.jpg", "gpt.jpg");
        tickets.put("openai/gpt-image-2/edit", "gpt.yaml");
        write("gpt.yaml", "prompt: the poster in watercolour\nmodel: openai/gpt-image-2\nsize: 1200x628\noutputFormat: jpg\n");
        sample("chelsea.png", "nano-a.png");
        sample("rocket.jpg", "nano-b.jpg");
        tickets.put("google/nano-banana-2/edit", "nano.yaml");
        write("nano.yaml", "prompt: the cat beside the rocket\nmodel: google/nano-banana-2\nreferences: [nano-a.png, nano-b.jpg]\n"
                + "size: 1200x628\noutputFormat: png\n");
        sample("chelsea.png", "flux.png");
        tickets.put("black-forest-labs/flux-2-pro/edit", "flux.yaml");
        write("flux.yaml", "prompt: the cat in brand colours\nmodel: black-forest-labs/flux-2-pro\nsize: 1200x628\nseed: 42\noutputFormat: png\n");
        sample("chelsea.png", "seedream.png");
        tickets.put("bytedance/seedream-v5.0-lite/edit", "seedream.yaml");
        write("seedream.yaml", "prompt: the cat as a clay figure\nmodel: bytedance/seedream-v5.0-lite\nsize: 1200x628\nseed: 5\n");
        sample("chelsea.png", "sequential.png");
        tickets.put("bytedance/seedream-v5.0-lite/edit-sequential", "sequential.yaml");
        write("sequential.yaml", "prompt: the cat in four seasons\nmodel: bytedance/seedream-v5.0-lite\nvariants: 4\naspectRatio: \"16:9\"\n"
                + "outputFormat: jpg\n");
        tickets.put("google/imagen4-ultra", "imagen.yaml");
        write("imagen.yaml", "prompt: a lighthouse in a storm\nmodel: google/imagen-4-ultra\nsize: 1200x628\nseed: 7\nvariants: 2\n");
        tickets.put("z-image/turbo", "zimage.yaml");
        write("zimage.yaml", "prompt: a paper boat on a pond\nuseCase: fast\nsize: 1200x628\nseed: 7\n");

        awaitFinished(tickets.size(), Duration.ofSeconds(30));
        assertEquals(tickets.size(), outcomes().delivered(), "failed: " + filesUnder(failed));
        assertEquals(List.of(), simulator.get().violations(), "the simulator refused nothing");

        Map<String, JsonNode> sent = new LinkedHashMap<>();
        simulator.get().submittedBodies().forEach(body -> sent.put(body.path("model").asText(), withPlaceholders(body)));
        assertEquals(tickets.keySet(), sent.keySet(), "one submit per model");
        for (String model : tickets.keySet()) {
            Path fixture = FIXTURES.resolve(model.replace('/', '_') + ".json");
            if (Boolean.getBoolean("fixtures.write")) {
                Files.createDirectories(FIXTURES);
                JSON.writerWithDefaultPrettyPrinter().writeValue(fixture.toFile(), sent.get(model));
            }
            assertEquals(readJson(fixture), sent.get(model), model + " (fixture " + fixture + ")");
        }

        // the manifest shows what the ticket asked and what each model was sent
        Map<String, String> sizeSent = Map.of(
                "google/nano-banana-2", "1200x628 -> aspect_ratio=16:9, resolution=2k",
                "black-forest-labs/flux-2-pro", "1200x628 -> size=1200*628",
                "z-image/turbo", "1200x628 -> size=1216*640",
                "google/imagen-4-ultra", "1200x628 -> aspect_ratio=16:9");
        Map<String, Integer> outputs = Map.of("google/imagen-4-ultra", 2);
        int checked = 0;
        for (JsonNode manifest : manifests()) {
            String model = manifest.at("/plan/model").asText();
            if (sizeSent.containsKey(model)) {
                assertEquals(sizeSent.get(model), manifest.at("/request/size").asText(), model);
                assertEquals("1200x628", manifest.at("/request/asked/size").asText(), model);
                checked++;
            }
            if (manifest.at("/plan/providerModel").asText().endsWith("edit-sequential")) {
                assertEquals(4, manifest.at("/outputs").size(), "variants: 4 on Seedream delivers 4 outputs");
                assertEquals("DELIVERED", manifest.at("/state").asText());
            } else {
                assertEquals(outputs.getOrDefault(model, 1), manifest.at("/outputs").size(), model);
            }
        }
        assertEquals(sizeSent.size(), checked);
    }

    @Test
    void variantsOnAModelWithoutACountFieldAreOneBillableCallEach() throws Exception {
        sample("chelsea.png", "cat.png");
        write("cat.yaml", "prompt: the cat in three colourways\nuseCase: brand\nvariants: 3\n");

        awaitFinished(1, Duration.ofSeconds(30));
        assertEquals(1, outcomes().delivered(), "failed: " + filesUnder(failed));
        assertEquals(List.of(), simulator.get().violations());
        assertEquals(3, simulator.get().submitCount(), "Flux 2 Pro's edit model gives one output per call");
        List<String> keys = simulator.get().submits().stream().map(s -> s.header("Idempotency-Key")).toList();
        assertEquals(3, keys.stream().distinct().count(), "each call its own idempotency key: " + keys);
        Path folder = jobFolder("brand");
        JsonNode manifest = readJson(folder.resolve(folder.getFileName() + ".json"));
        assertEquals(3, manifest.at("/outputs").size(), "one manifest with the three outputs");
        assertEquals(3, manifest.at("/providerJobIds").size());
        assertEquals("DELIVERED", manifest.at("/state").asText());
    }

    private List<JsonNode> manifests() throws Exception {
        try (Stream<Path> files = Files.walk(outbox)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && p.getParent().getFileName().toString()
                    .equals(p.getFileName().toString().replace(".json", ""))).map(p -> {
                        try {
                            return readJson(p);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }
    }

    /** The body with each reference shown as its kind, not its bytes. */
    private static JsonNode withPlaceholders(JsonNode body) {
        ObjectNode copy = body.deepCopy();
        if (copy.path("images").isArray()) {
            ArrayNode images = JSON.createArrayNode();
            copy.get("images").forEach(i -> images.add(placeholder(i.asText())));
            copy.set("images", images);
        }
        if (copy.path("image").isTextual()) {
            copy.put("image", placeholder(copy.get("image").asText()));
        }
        return copy;
    }

    private static String placeholder(String reference) {
        return reference.startsWith("data:") ? "<" + reference.substring(0, reference.indexOf(',')) + ",...>" : "<uploaded file URL>";
    }
}
