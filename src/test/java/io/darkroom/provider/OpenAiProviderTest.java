package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulator;
import io.darkroom.sim.OpenAiEditRequest;
import io.darkroom.sim.OpenAiSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text jobs routed to OpenAI's images/edits when its key is set; its refusals mapped to stable codes. */
class OpenAiProviderTest extends DarkroomTestSupport {

    private static OpenAiSimulator openai;
    private static AtlasSimulator atlas;

    @BeforeAll
    static void startSimulators() throws Exception {
        openai = new OpenAiSimulator(new OpenAiSimulator.Settings()).start();
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(200)).start();
    }

    @AfterAll
    static void stopSimulators() {
        openai.stop();
        atlas.stop();
    }

    @BeforeEach
    void resetSimulators() {
        openai.reset();
        atlas.reset();
    }

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.providers.openai.base-url", openai.baseUrl());
        properties.put("darkroom.providers.openai.api-key", "test-openai-key");
        properties.put("darkroom.providers.atlas.base-url", atlas.baseUrl());
        properties.put("darkroom.providers.atlas.api-key", "test-atlas-key");
    }

    @Test
    void aTextTicketIsDeliveredFromAMultipartEditWithTwoReferences() throws Exception {
        sample("rocket.jpg", "poster-a.jpg");
        sample("coffee.png", "poster-b.png");
        write("poster.json", "{\"prompt\": \"a poster saying \\\"Lift Off\\\"\", \"useCase\": \"text\", \"references\": [\"poster-a.jpg\", \"poster-b.png\"],"
                + " \"size\": \"1536x1024\", \"variants\": 2, \"outputFormat\": \"png\"}");

        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered(), "failed: " + filesUnder(failed));

        OpenAiEditRequest request = openai.lastRequest();
        assertEquals("gpt-image-2", request.field("model"));
        assertEquals("2", request.field("n"));
        assertEquals("1536x1024", request.field("size"));
        assertEquals(2, request.images().size());
        assertEquals("image[]", request.images().get(0).fieldName());
        assertEquals("image/jpeg", request.images().get(0).contentType());
        assertEquals("image/png", request.images().get(1).contentType());
        assertEquals(null, request.field("response_format"), "GPT image models take no response_format");
        assertEquals(0, atlas.submitCount(), "the text row prefers OpenAI when its key is set");

        Path folder = jobFolder("text");
        JsonNode manifest = readJson(folder.resolve(folder.getFileName() + ".json"));
        assertEquals("openai", manifest.at("/plan/provider").asText());
        assertEquals(2, manifest.at("/outputs").size());
        assertTrue(manifest.at("/cost/actualUsd").asDouble() > 0, "cost worked out from the reported usage");
    }

    @Test
    void refusalsAndLimitsEndWithTheirCodes() throws Exception {
        for (String fault : new String[]{"moderated", "quota", "rate-limit", "server-error", "billing-limit", "unverified-org"}) {
            sample("chelsea.png", fault + ".png");
            write(fault + ".json", "{\"prompt\": \"[sim:" + fault + "] a sign\", \"useCase\": \"text\"}");
        }
        awaitFinished(6, Duration.ofSeconds(30));

        assertEquals("MODERATED", errorFor(failed, "moderated.json").at("/code").asText());
        assertEquals("OUT_OF_CREDIT", errorFor(failed, "quota.json").at("/code").asText());
        assertEquals("PROVIDER_UNAVAILABLE", errorFor(failed, "server-error.json").at("/code").asText());
        // docs/providers.md: billing_hard_limit_reached arrives as a 400 but is out of credit
        assertEquals("OUT_OF_CREDIT", errorFor(failed, "billing-limit.json").at("/code").asText());
        JsonNode unverified = errorFor(failed, "unverified-org.json");
        assertEquals("AUTH_FAILED", unverified.at("/code").asText());
        assertTrue(unverified.at("/message").asText().contains("organization is not verified"), unverified.toString());
        assertEquals(1, openai.requestCountForPrompt("[sim:billing-limit] a sign"), "never re-sent");
        assertEquals(1, outcomes().delivered(), "a rate limit is waited out, then the edit succeeds");
        assertEquals(1, openai.requestCountForPrompt("[sim:server-error] a sign"), "a 500 is never re-sent");
        assertEquals(1, openai.requestCountForPrompt("[sim:moderated] a sign"));
        assertEquals(3, openai.requestCountForPrompt("[sim:rate-limit] a sign"), "two 429s, then success");
    }

    @Test
    void sizesAreFittedToGptImage2sPixelLimitsAndShownInTheManifest() throws Exception {
        sample("chelsea.png", "small.png");
        write("small.json", "{\"prompt\": \"a small sign\", \"useCase\": \"text\", \"size\": \"512x512\"}");
        sample("chelsea.png", "banner.png");
        write("banner.json", "{\"prompt\": \"a banner\", \"useCase\": \"text\", \"size\": \"1200x628\"}");
        awaitFinished(2, Duration.ofSeconds(20));
        assertEquals(2, outcomes().delivered(), "failed: " + filesUnder(failed));

        java.util.Map<String, String> sizes = new java.util.HashMap<>();
        openai.requests().forEach(r -> sizes.put(r.field("prompt"), r.field("size")));
        assertEquals("816x816", sizes.get("a small sign"), "512x512 is below gpt-image-2's 655,360 pixels");
        assertEquals("1200x624", sizes.get("a banner"), "sides multiples of 16");
        assertTrue(openai.requests().stream().allMatch(r -> r.field("input_fidelity") == null), "no input_fidelity for gpt-image-2");
        try (java.util.stream.Stream<Path> jobs = java.nio.file.Files.list(outbox.resolve("text"))) {
            for (Path folder : jobs.toList()) {
                JsonNode manifest = readJson(folder.resolve(folder.getFileName() + ".json"));
                String asked = manifest.at("/request/asked/size").asText();
                assertTrue(manifest.at("/request/size").asText().startsWith(asked + " -> size="), manifest.at("/request").toString());
            }
        }
    }
}
