package io.darkroom.provider.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.Job;
import io.darkroom.job.Reference;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.Plan;
import io.darkroom.provider.HttpCall;
import io.darkroom.provider.ProviderSettings;
import io.darkroom.ticket.Ticket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The submit request carries each reference byte for byte as a data URI, beside the other fields. */
class AtlasMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtlasMapping mapping;

    AtlasMappingTest() throws Exception {
        mapping = new AtlasMapping(ModelCatalog.load(Path.of("config/models.yaml")), 4 * 1024 * 1024);
    }

    @TempDir
    Path folder;

    private Reference reference(String name, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(folder.resolve(name), bytes);
        Reference reference = new Reference(name, file.toString());
        reference.setMimeType("image/png");
        reference.setSizeBytes(size);
        return reference;
    }

    private JsonNode submit(String model, Reference... references) throws Exception {
        Job job = new Job();
        job.setId("job-1");
        Ticket ticket = new Ticket();
        ticket.setPrompt("a \"quoted\" prompt\nwith a new line");
        job.setTicket(ticket);
        job.setPlan(new Plan("brand", model, "atlas", null, "test", 0.05));
        for (Reference reference : references) {
            job.getReferences().add(reference);
        }
        HttpCall call = mapping.submit(job, new ProviderSettings("atlas", "http://atlas.test/api/v1", "key", 1));
        return JSON.readTree(call.bodyBytes());
    }

    private static byte[] decoded(JsonNode dataUri) {
        String text = dataUri.asText();
        assertTrue(text.startsWith("data:image/png;base64,"), text.substring(0, Math.min(40, text.length())));
        return Base64.getDecoder().decode(text.substring(text.indexOf(',') + 1));
    }

    @Test
    void referencesGoInAnArrayByteForByte() throws Exception {
        Reference a = reference("a.png", 300_001, 1);
        Reference b = reference("b.png", 2, 2);
        JsonNode body = submit("black-forest-labs/flux-2-pro", a, b);
        assertEquals("black-forest-labs/flux-2-pro/edit", body.path("model").asText());
        assertEquals("a \"quoted\" prompt\nwith a new line", body.path("prompt").asText());
        assertEquals(false, body.path("enable_base64_output").asBoolean(true));
        assertEquals(2, body.path("images").size());
        assertArrayEquals(Files.readAllBytes(Path.of(a.getPath())), decoded(body.path("images").get(0)));
        assertArrayEquals(Files.readAllBytes(Path.of(b.getPath())), decoded(body.path("images").get(1)));
    }

    @Test
    void aReferenceThatChangedSizeSinceItWasCheckedStillGoesWhole() throws Exception {
        Reference grown = reference("grown.png", 5000, 6);
        grown.setSizeBytes(1000);
        JsonNode body = submit("black-forest-labs/flux-2-pro", grown);
        assertArrayEquals(Files.readAllBytes(Path.of(grown.getPath())), decoded(body.path("images").get(0)));
    }

    @Test
    void anUploadedReferenceGoesAsItsUrl() throws Exception {
        Reference uploaded = reference("big.png", 10, 4);
        uploaded.setUploadedUrl("https://atlas.test/files/uploads/big \"1\".png");
        Reference inline = reference("small.png", 1000, 5);
        JsonNode body = submit("black-forest-labs/flux-2-pro", uploaded, inline);
        assertEquals("https://atlas.test/files/uploads/big \"1\".png", body.path("images").get(0).asText());
        assertArrayEquals(Files.readAllBytes(Path.of(inline.getPath())), decoded(body.path("images").get(1)));
    }

    @Test
    void aSingleReferenceFieldTakesOneString() throws Exception {
        Reference a = reference("a.png", 1000, 3);
        JsonNode body = submit("bytedance/seedream-v5.0-lite", a);
        assertTrue(body.path("image").isTextual());
        assertTrue(body.path("images").isMissingNode());
        assertArrayEquals(Files.readAllBytes(Path.of(a.getPath())), decoded(body.path("image")));
    }
}
