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
        for (String fault : new String[]{"moderated", "quota", "rate-limit", "server-error"}) {
            sample("chelsea.png", fault + ".png");
            write(fault + ".json", "{\"prompt\": \"[sim:" + fault + "] a sign\", \"useCase\": \"text\"}");
        }
        awaitFinished(4, Duration.ofSeconds(30));

        assertEquals("MODERATED", errorFor(failed, "moderated.json").at("/code").asText());
        assertEquals("OUT_OF_CREDIT", errorFor(failed, "quota.json").at("/code").asText());
        assertEquals("PROVIDER_UNAVAILABLE", errorFor(failed, "server-error.json").at("/code").asText());
        assertEquals(1, outcomes().delivered(), "a rate limit is waited out, then the edit succeeds");
        assertEquals(1, openai.requestCountForPrompt("[sim:server-error] a sign"), "a 500 is never re-sent");
        assertEquals(1, openai.requestCountForPrompt("[sim:moderated] a sign"));
        assertEquals(3, openai.requestCountForPrompt("[sim:rate-limit] a sign"), "two 429s, then success");
    }
}
