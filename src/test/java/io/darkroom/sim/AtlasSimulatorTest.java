package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class AtlasSimulatorTest {

    private static final String KEY = "test-atlas-key";
    private static final Set<String> IN_PROGRESS = Set.of("created", "starting", "processing");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private AtlasSimulator sim;

    @BeforeEach
    void start() throws IOException {
        sim = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(60)).start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void everyModelShapeCompletesWithDownloadablePngs() throws Exception {
        List<ObjectNode> bodies = List.of(
                body("google/nano-banana-2/edit", "a cat").set("images", mapper.createArrayNode().add(dataUri())),
                body("black-forest-labs/flux-2-pro/edit", "a dog")
                        .set("images", mapper.createArrayNode().add("https://example.com/a.png").add(dataUri())),
                body("openai/gpt-image-2/edit", "a fox").set("images", mapper.createArrayNode().add("https://example.com/b.jpg")),
                body("bytedance/seedream-v5.0-lite/edit", "an owl").put("image", dataUri()),
                body("google/imagen4-ultra", "a tree").put("num_images", 2),
                body("z-image/turbo", "a lake"));
        List<String> ids = new ArrayList<>();
        for (ObjectNode body : bodies) {
            HttpResponse<String> reply = post("/model/generateImage", body);
            assertEquals(200, reply.statusCode(), reply.body());
            assertTrue(reply.headers().firstValue("X-Request-ID").isPresent());
            JsonNode json = mapper.readTree(reply.body());
            assertEquals(200, json.get("code").asInt());
            JsonNode data = json.get("data");
            String id = data.get("id").asText();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertEquals(body.get("model").asText(), data.get("model").asText());
            assertTrue(Set.of("created", "processing").contains(data.get("status").asText()));
            assertTrue(data.get("outputs").isNull());
            assertEquals(sim.baseUrl() + "/model/prediction/" + id, data.at("/urls/get").asText());
            ids.add(id);
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonNode data = awaitDone(ids.get(i));
            assertEquals("completed", data.get("status").asText());
            int expected = i == 4 ? 2 : 1;
            assertEquals(expected, data.get("outputs").size());
            for (JsonNode url : data.get("outputs")) {
                HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(url.asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, image.statusCode());
                assertEquals("image/png", image.headers().firstValue("Content-Type").orElse(""));
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.body()));
                assertEquals(64, decoded.getWidth());
            }
        }
        assertEquals(6, sim.submitCount());
        assertEquals(6, sim.jobsCreatedCount());
        assertEquals(7, sim.downloadCount());
    }

    @Test
    void wrongKeyMissingKeyAndUnknownPathAnswer401() throws Exception {
        HttpResponse<String> wrongKey = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/model/generateImage"))
                .header("Authorization", "Bearer nope").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("z-image/turbo", "x").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrongKey.statusCode());
        JsonNode json = mapper.readTree(wrongKey.body());
        assertEquals(401, json.get("code").asInt());
        assertEquals("unauthorized", json.get("msg").asText());
        assertTrue(json.get("data").isNull());
        assertEquals(wrongKey.headers().firstValue("X-Request-ID").orElseThrow(), json.get("request_id").asText());

        HttpResponse<String> missingKey = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/model/prediction/abc"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, missingKey.statusCode());
        // Atlas authenticates before routing: a wrong path is 401 even with a good key.
        assertEquals(401, get(sim.baseUrl() + "/model/prediction/abc/get").statusCode());
        assertEquals(401, get(sim.baseUrl() + "/model/nothing-here").statusCode());
        assertEquals(0, sim.submitCount());
        assertEquals(4, sim.unauthorizedCount());
    }

    @Test
    void invalidSubmitsAnswer400Or404AndCreateNoJob() throws Exception {
        assertRejected(body("google/nano-banana-2/edit", "x").put("image", dataUri()), 400, "unknown field 'image'");
        assertRejected(body("google/nano-banana-2/edit", "x").put("aspect_ratio", "300:157")
                .set("images", mapper.createArrayNode().add(dataUri())), 400, "aspect_ratio");
        // docs/providers.md: only Imagen takes a count; Flux's edit model has no num_images
        assertRejected(body("black-forest-labs/flux-2-pro/edit", "x").put("num_images", 2)
                .set("images", mapper.createArrayNode().add(dataUri())), 400, "unknown field 'num_images'");
        ObjectNode tooMany = body("google/nano-banana-2/edit", "x");
        for (int i = 0; i < 15; i++) {
            tooMany.withArray("images").add("https://example.com/" + i + ".png");
        }
        assertRejected(tooMany, 400, "1 to 14");
        ObjectNode nineForFlux = body("black-forest-labs/flux-2-pro/edit", "x");
        for (int i = 0; i < 9; i++) {
            nineForFlux.withArray("images").add("https://example.com/" + i + ".png");
        }
        assertRejected(nineForFlux, 400, "1 to 8");
        assertRejected(body("openai/gpt-image-2/edit", "x").set("images", mapper.createArrayNode().add("ftp://x/y.png")),
                400, "images[0]");
        assertRejected(body("openai/gpt-image-2/edit", "x").set("images", mapper.createArrayNode()), 400, "1 to 10");
        // docs/providers.md records a conflict (image vs images) for Seedream's edit model: either is taken, never both
        assertRejected(body("bytedance/seedream-v5.0-lite/edit", "x").put("image", dataUri())
                .set("images", mapper.createArrayNode().add(dataUri())), 400, "not both");
        assertRejected(body("google/imagen4-ultra", "x").set("images", mapper.createArrayNode().add(dataUri())),
                400, "unknown field 'images'");
        assertRejected(body("z-image/turbo", "x").put("image", dataUri()), 400, "unknown field 'image'");
        assertRejected(body("z-image/turbo", "x").put("size", "4096*4096"), 400, "256 to 2048");
        assertRejected(body("google/imagen-4-ultra", "x"), 404, "model not found");
        assertRejected((ObjectNode) body("z-image/turbo", "x").without("prompt"), 400, "prompt");
        assertRejected(body("black-forest-labs/flux-2-pro/edit", "x").put("size", "1024x1024")
                .set("images", mapper.createArrayNode().add(dataUri())), 400, "size");
        assertRejected(body("z-image/turbo", "x").put("webhook_url", "https://127.0.0.1/hook"), 400, "webhook_url");
        assertRejected(body("acme/unknown-model", "x"), 404, "model not found");

        HttpResponse<String> notJson = http.send(authorized(sim.baseUrl() + "/model/generateImage")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
        assertEquals(0, sim.jobsCreatedCount());
        assertEquals(17, sim.submitCount());
    }

    @Test
    void submitsBeyondTheCapAnswer429WithoutRetryAfterAndCreateNoJob() throws Exception {
        sim.settings().setConcurrencyCap(2).setJobMillis(400);
        assertEquals(200, post("/model/generateImage", body("z-image/turbo", "one")).statusCode());
        assertEquals(200, post("/model/generateImage", body("z-image/turbo", "two")).statusCode());
        HttpResponse<String> limited = post("/model/generateImage", body("z-image/turbo", "three"));
        assertEquals(429, limited.statusCode());
        assertEquals(429, mapper.readTree(limited.body()).get("code").asInt());
        assertEquals("rate limited", mapper.readTree(limited.body()).get("msg").asText());
        assertFalse(limited.headers().firstValue("Retry-After").isPresent());
        assertTrue(limited.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("x-ratelimit")));
        assertEquals(1, sim.rateLimitedCount());
        assertEquals(2, sim.maxInFlightSeen());
        assertEquals(2, sim.inFlight());
        assertEquals(2, sim.jobsCreatedCount());
        assertEquals(3, sim.submitCount());

        awaitTrue(() -> sim.inFlight() == 0, 3000);
        assertEquals(200, post("/model/generateImage", body("z-image/turbo", "four")).statusCode());
    }

    @Test
    void moderatedJobFailsWithErrorCode1039() throws Exception {
        JsonNode data = awaitDone(submit(body("z-image/turbo", "nude [sim:moderated]")));
        assertEquals("failed", data.get("status").asText());
        assertEquals("content moderation", data.get("error").asText());
        assertEquals(1039, data.get("error_code").asInt());
    }

    @Test
    void failed500JobAnswersTerminalFailureInA500Body() throws Exception {
        String prompt = "x [sim:failed-500]";
        String id = submit(body("z-image/turbo", prompt));
        HttpResponse<String> last = awaitReply(id, r -> r.statusCode() == 500);
        JsonNode json = mapper.readTree(last.body());
        assertEquals(500, json.get("code").asInt());
        assertTrue(json.get("message").isTextual());
        assertEquals("failed", json.at("/data/status").asText());
        assertEquals("internal model error", json.at("/data/error").asText());
        assertEquals(1, sim.submitCountForPrompt(prompt));
        assertTrue(sim.pollCountForPrompt(prompt) >= 1);
    }

    @Test
    void malformedJobAnswersUnparseableJson() throws Exception {
        HttpResponse<String> reply = get(pollUrl(submit(body("z-image/turbo", "x [sim:malformed]"))));
        assertEquals(200, reply.statusCode());
        assertThrows(IOException.class, () -> mapper.readTree(reply.body()));
    }

    @Test
    void unknownStatusJobReportsPausedForReview() throws Exception {
        assertEquals("paused-for-review", awaitDone(submit(body("z-image/turbo", "x [sim:unknown-status]")))
                .get("status").asText());
    }

    @Test
    void slowJobNeverCompletesAndStaysInFlight() throws Exception {
        String id = submit(body("z-image/turbo", "x [sim:slow]"));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sim.settings().jobMillis() * 4);
        while (System.nanoTime() < until) {
            String status = mapper.readTree(get(pollUrl(id)).body()).at("/data/status").asText();
            assertTrue(IN_PROGRESS.contains(status), status);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertEquals("processing", mapper.readTree(get(pollUrl(id)).body()).at("/data/status").asText());
        assertEquals(1, sim.inFlight());
    }

    @Test
    void output404JobCompletesButItsFileIsMissing() throws Exception {
        JsonNode data = awaitDone(submit(body("z-image/turbo", "x [sim:output-404]")));
        assertEquals("completed", data.get("status").asText());
        assertEquals(404, get(data.at("/outputs/0").asText()).statusCode());
    }

    @Test
    void poll429AnswersTwiceWithoutRetryAfterThenNormally() throws Exception {
        String id = submit(body("z-image/turbo", "x [sim:poll-429]"));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> limited = get(pollUrl(id));
            assertEquals(429, limited.statusCode());
            assertFalse(limited.headers().firstValue("Retry-After").isPresent());
        }
        assertEquals(200, get(pollUrl(id)).statusCode());
        assertEquals(2, sim.rateLimitedCount());
    }

    @Test
    void poll429RetryAfterAnswersOnceWithRetryAfter() throws Exception {
        String id = submit(body("z-image/turbo", "x [sim:poll-429-retry-after]"));
        HttpResponse<String> limited = get(pollUrl(id));
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals(200, get(pollUrl(id)).statusCode());
    }

    @Test
    void poll503AnswersTwiceThenNormally() throws Exception {
        String id = submit(body("z-image/turbo", "x [sim:poll-503]"));
        assertEquals(503, get(pollUrl(id)).statusCode());
        assertEquals(503, get(pollUrl(id)).statusCode());
        assertEquals(200, get(pollUrl(id)).statusCode());
    }

    @Test
    void notFoundFirstAnswers404OnceThenNormally() throws Exception {
        String id = submit(body("z-image/turbo", "x [sim:not-found-first]"));
        HttpResponse<String> missing = get(pollUrl(id));
        assertEquals(404, missing.statusCode());
        assertEquals(404, mapper.readTree(missing.body()).get("code").asInt());
        assertEquals("completed", awaitDone(id).get("status").asText());
        assertEquals(404, get(pollUrl("0123456789abcdef")).statusCode());
    }

    @Test
    void submit500StillCreatesAndBillsTheJob() throws Exception {
        String prompt = "x [sim:submit-500]";
        HttpResponse<String> reply = post("/model/generateImage", body("z-image/turbo", prompt));
        assertEquals(500, reply.statusCode());
        assertEquals(500, mapper.readTree(reply.body()).get("code").asInt());
        assertEquals(1, sim.jobsCreatedCount());
        assertEquals(1, sim.submitCountForPrompt(prompt));
    }

    @Test
    void submitHangNeverAnswersButCreatesTheJob() {
        HttpRequest request = authorized(sim.baseUrl() + "/model/generateImage").timeout(Duration.ofMillis(300))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("z-image/turbo", "x [sim:submit-hang]").toString())).build();
        assertThrows(HttpTimeoutException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, sim.jobsCreatedCount());
        assertEquals(1, sim.submitCount());
    }

    @Test
    void outOfCreditAnswers402AndCreatesNoJob() throws Exception {
        HttpResponse<String> reply = post("/model/generateImage", body("z-image/turbo", "x [sim:out-of-credit]"));
        assertEquals(402, reply.statusCode());
        assertEquals("insufficient balance", mapper.readTree(reply.body()).get("msg").asText());
        assertEquals(0, sim.jobsCreatedCount());
    }

    @Test
    void base64OutputReturnsImageBytesInsteadOfUrls() throws Exception {
        JsonNode data = awaitDone(submit(body("z-image/turbo", "x").put("enable_base64_output", true)));
        byte[] png = Base64.getDecoder().decode(data.at("/outputs/0").asText());
        assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(png, 8));
    }

    @Test
    void syncModeAnswersTheFinishedPredictionAnd504WhenItTakesTooLong() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> reply = post("/model/generateImage", body("z-image/turbo", "x").put("enable_sync_mode", true));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(sim.settings().jobMillis() - 5));
        assertEquals(200, reply.statusCode());
        JsonNode data = mapper.readTree(reply.body()).get("data");
        assertEquals("completed", data.get("status").asText());
        assertEquals(1, data.get("outputs").size());

        sim.settings().setSyncMaxWaitMillis(50);
        HttpResponse<String> tooSlow = post("/model/generateImage",
                body("z-image/turbo", "x [sim:slow]").put("enable_sync_mode", true));
        assertEquals(504, tooSlow.statusCode());
    }

    @Test
    void uploadedMediaIsServedBackAndAcceptedAsAnImageUrl() throws Exception {
        byte[] png = GeneratedImage.encode("png", "upload", 8, 8);
        MultipartBodyWriter form = new MultipartBodyWriter().file("file", "ref one.png", "image/png", png);
        HttpResponse<String> reply = http.send(authorized(sim.baseUrl() + "/model/uploadMedia")
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.toBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode data = mapper.readTree(reply.body()).get("data");
        assertEquals("ref one.png", data.get("filename").asText());
        assertEquals(png.length, data.get("size").asInt());
        String url = data.get("download_url").asText();
        HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(png, served.body());
        assertEquals("image/png", served.headers().firstValue("Content-Type").orElse(""));

        submit(body("openai/gpt-image-2/edit", "x").set("images", mapper.createArrayNode().add(url)));
        assertEquals(1, sim.uploadCount());
    }

    @Test
    void countersRecordHeadersBodiesAndAreServedAsStats() throws Exception {
        ObjectNode body = body("z-image/turbo", "counted");
        HttpResponse<String> reply = http.send(authorized(sim.baseUrl() + "/model/generateImage")
                .header("Content-Type", "application/json").header("Idempotency-Key", "key-123")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        String id = mapper.readTree(reply.body()).at("/data/id").asText();
        awaitDone(id);
        assertEquals("key-123", sim.lastSubmitHeaders().get("idempotency-key").get(0));
        assertEquals("Bearer " + KEY, sim.submits().get(0).header("authorization"));
        assertEquals(body, sim.submittedBodies().get(0));
        assertEquals(1, sim.submitCountForPrompt("counted"));
        assertTrue(sim.pollCount() >= 1);
        assertEquals(sim.pollCount(), sim.pollCountForPrompt("counted"));

        JsonNode stats = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + sim.port() + "/sim/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(1, stats.get("submits").asInt());
        assertEquals(sim.pollCount(), stats.get("polls").asLong());
        assertEquals(0, stats.get("rateLimited").asInt());
        assertEquals(1, stats.get("maxInFlightSeen").asInt());
        assertEquals(0, stats.get("inFlight").asInt());

        sim.reset();
        assertEquals(0, sim.submitCount());
        assertTrue(sim.submittedBodies().isEmpty());
        assertEquals(404, get(pollUrl(id)).statusCode());
    }

    @Test
    void successStatusCanBeSucceeded() throws Exception {
        sim.settings().setSuccessStatus("succeeded");
        assertEquals("succeeded", awaitDone(submit(body("z-image/turbo", "x"))).get("status").asText());
    }

    // ---- helpers

    private ObjectNode body(String model, String prompt) {
        return mapper.createObjectNode().put("model", model).put("prompt", prompt);
    }

    private static String dataUri() {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(GeneratedImage.encode("png", "ref", 4, 4));
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(5));
    }

    private HttpResponse<String> post(String path, JsonNode body) throws Exception {
        return http.send(authorized(sim.baseUrl() + path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(authorized(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String pollUrl(String id) {
        return sim.baseUrl() + "/model/prediction/" + id;
    }

    private String submit(ObjectNode body) throws Exception {
        HttpResponse<String> reply = post("/model/generateImage", body);
        assertEquals(200, reply.statusCode(), reply.body());
        return mapper.readTree(reply.body()).at("/data/id").asText();
    }

    private void assertRejected(ObjectNode body, int status, String messagePart) throws Exception {
        HttpResponse<String> reply = post("/model/generateImage", body);
        assertEquals(status, reply.statusCode(), reply.body());
        JsonNode json = mapper.readTree(reply.body());
        assertEquals(status, json.get("code").asInt());
        assertTrue(json.get("msg").asText().contains(messagePart), json.get("msg").asText());
        assertTrue(json.get("data").isNull());
        assertNotNull(json.get("request_id"));
    }

    /** Polls until the job leaves the in-progress statuses; bounded by a deadline, tiny pauses between. */
    private JsonNode awaitDone(String id) throws Exception {
        HttpResponse<String> reply = awaitReply(id, r -> {
            try {
                return r.statusCode() == 200
                        && !IN_PROGRESS.contains(mapper.readTree(r.body()).at("/data/status").asText());
            } catch (IOException e) {
                return false;
            }
        });
        return mapper.readTree(reply.body()).get("data");
    }

    private HttpResponse<String> awaitReply(String id, java.util.function.Predicate<HttpResponse<String>> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> reply = get(pollUrl(id));
            if (done.test(reply)) {
                return reply;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return fail("prediction " + id + " did not reach the expected state in time");
    }

    private static void awaitTrue(BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within " + millis + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
