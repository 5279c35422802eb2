package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiSimulatorTest {

    private static final String KEY = "test-openai-key";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final byte[] png = GeneratedImage.encode("png", "ref", 8, 8);
    private final byte[] jpeg = GeneratedImage.encode("jpeg", "ref", 8, 8);
    private OpenAiSimulator sim;

    @BeforeEach
    void start() throws IOException {
        sim = new OpenAiSimulator(new OpenAiSimulator.Settings()).start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void twoImagePartsGiveBase64PngsUsageAndHeaders() throws Exception {
        HttpResponse<String> reply = send(new MultipartBodyWriter()
                .file("image[]", "a.png", "image/png", png)
                .file("image[]", "b.jpg", "image/jpeg", jpeg)
                .field("prompt", "merge them")
                .field("model", "gpt-image-2")
                .field("n", "2")
                .field("size", "1536x1024")
                .field("quality", "high"));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode json = mapper.readTree(reply.body());
        assertTrue(json.get("created").asLong() > 1_700_000_000L);
        assertEquals(2, json.get("data").size());
        for (JsonNode item : json.get("data")) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(item.get("b64_json").asText())));
            assertEquals(96, image.getWidth());
            assertEquals(64, image.getHeight());
        }
        assertEquals("opaque", json.get("background").asText());
        assertEquals("png", json.get("output_format").asText());
        assertEquals("high", json.get("quality").asText());
        assertEquals("1536x1024", json.get("size").asText());
        JsonNode usage = json.get("usage");
        assertEquals(usage.get("input_tokens").asLong(),
                usage.at("/input_tokens_details/image_tokens").asLong() + usage.at("/input_tokens_details/text_tokens").asLong());
        assertEquals(usage.get("total_tokens").asLong(), usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());
        assertTrue(reply.headers().firstValue("x-request-id").orElse("").startsWith("req_"));
        assertTrue(reply.headers().firstValue("openai-processing-ms").isPresent());
        assertEquals("500", reply.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
        assertEquals("499", reply.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
        assertTrue(reply.headers().firstValue("x-ratelimit-reset-requests").isPresent());

        OpenAiEditRequest seen = sim.lastRequest();
        assertEquals(List.of(new OpenAiEditRequest.ImagePart("image[]", "a.png", "image/png", png.length),
                new OpenAiEditRequest.ImagePart("image[]", "b.jpg", "image/jpeg", jpeg.length)), seen.images());
        assertEquals("merge them", seen.field("prompt"));
        assertEquals(List.of("2"), seen.fields().get("n"));
        assertEquals("Bearer " + KEY, seen.header("authorization"));
        assertEquals(1, sim.requestCount());
        assertEquals(1, sim.requestCountForPrompt("merge them"));
    }

    @Test
    void singleImagePartWithJpegOutputGivesJpegBytes() throws Exception {
        HttpResponse<String> reply = send(new MultipartBodyWriter()
                .file("image", "a.webp", "image/webp", new byte[] {'R', 'I', 'F', 'F'})
                .field("prompt", "p").field("model", "gpt-image-2").field("output_format", "jpeg"));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode json = mapper.readTree(reply.body());
        byte[] image = Base64.getDecoder().decode(json.at("/data/0/b64_json").asText());
        assertEquals((byte) 0xFF, image[0]);
        assertEquals((byte) 0xD8, image[1]);
        assertEquals("jpeg", json.get("output_format").asText());
        assertEquals("1024x1024", json.get("size").asText());
        assertEquals(1, sim.lastRequest().images().size());
    }

    @Test
    void wrongKeyAnswers401InvalidApiKey() throws Exception {
        MultipartBodyWriter form = validForm("p");
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/images/edits"))
                .header("Authorization", "Bearer wrong").header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toBytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, reply.statusCode());
        assertEquals(mapper.readTree("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}"), mapper.readTree(reply.body()));
        assertEquals(0, sim.requestCount());
    }

    @Test
    void imagePartsNeedAFilenameAndAnImageContentType() throws Exception {
        assertInvalid(new MultipartBodyWriter().file("image[]", null, "image/png", png).field("prompt", "p")
                .field("model", "gpt-image-2"), "image[]", "filename");
        assertInvalid(new MultipartBodyWriter().file("image[]", "a.png", null, png).field("prompt", "p")
                .field("model", "gpt-image-2"), "image[]", "mimetype");
        assertInvalid(new MultipartBodyWriter().file("image", "a.png", "application/octet-stream", png).field("prompt", "p")
                .field("model", "gpt-image-2"), "image", "mimetype");
        assertInvalid(new MultipartBodyWriter().field("prompt", "p").field("model", "gpt-image-2"), "image", "image");
    }

    @Test
    void requestFieldsAreValidated() throws Exception {
        assertInvalid(validForm("p").field("response_format", "b64_json"), "response_format", "dall-e-2");
        assertInvalid(validForm("p").field("size", "1000x1000"), "size", "16");
        assertInvalid(validForm("p").field("size", "4096x2160"), "size", "3840x2160");
        assertInvalid(validForm("p").field("size", "3840x1024"), "size", "1:3");
        assertInvalid(validForm("p").field("n", "11"), "n", "1 to 10");
        assertInvalid(validForm("p").field("output_format", "gif"), "output_format", "gif");
        assertInvalid(validForm("p").field("colour", "red"), "colour", "Unknown parameter");
        assertInvalid(new MultipartBodyWriter().file("image", "a.png", "image/png", png).field("model", "gpt-image-2"),
                "prompt", "prompt");
        assertInvalid(new MultipartBodyWriter().file("image", "a.png", "image/png", png).field("prompt", "p")
                .field("model", "dall-e-3"), "model", "dall-e-3");
        assertEquals(200, send(validForm("p").field("size", "2160x3840")).statusCode());
        assertEquals(200, send(validForm("p").field("size", "auto")).statusCode());

        HttpResponse<String> notMultipart = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/images/edits"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notMultipart.statusCode());
    }

    @Test
    void moderatedAnswers400ModerationBlocked() throws Exception {
        HttpResponse<String> reply = send(validForm("gore [sim:moderated]"));
        assertEquals(400, reply.statusCode());
        JsonNode error = mapper.readTree(reply.body()).get("error");
        assertEquals("moderation_blocked", error.get("code").asText());
        assertEquals("image_generation_user_error", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("safety_violations=[violence]"));
        assertTrue(error.get("param").isNull());
    }

    @Test
    void quotaAnswers429InsufficientQuota() throws Exception {
        HttpResponse<String> reply = send(validForm("x [sim:quota]"));
        assertEquals(429, reply.statusCode());
        JsonNode error = mapper.readTree(reply.body()).get("error");
        assertEquals("insufficient_quota", error.get("code").asText());
        assertEquals("You exceeded your current quota, please check your plan and billing details.",
                error.get("message").asText());
        assertEquals(0, sim.rateLimitedCount());
    }

    @Test
    void rateLimitAnswers429TwiceThenSucceeds() throws Exception {
        String prompt = "x [sim:rate-limit]";
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> reply = send(validForm(prompt));
            assertEquals(429, reply.statusCode());
            assertEquals("rate_limit_exceeded", mapper.readTree(reply.body()).at("/error/code").asText());
            assertTrue(mapper.readTree(reply.body()).at("/error/message").asText().startsWith("Rate limit reached for requests"));
            assertFalse(reply.headers().firstValue("Retry-After").isPresent());
            assertEquals("0", reply.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
            assertTrue(reply.headers().firstValue("x-ratelimit-limit-requests").isPresent());
            assertTrue(reply.headers().firstValue("x-ratelimit-reset-requests").isPresent());
        }
        assertEquals(200, send(validForm(prompt)).statusCode());
        assertEquals(2, sim.rateLimitedCount());
        assertEquals(3, sim.requestCountForPrompt(prompt));
    }

    @Test
    void serverErrorAnswers500() throws Exception {
        HttpResponse<String> reply = send(validForm("x [sim:server-error]"));
        assertEquals(500, reply.statusCode());
        JsonNode error = mapper.readTree(reply.body()).get("error");
        assertEquals("server_error", error.get("type").asText());
        assertTrue(error.get("message").asText().startsWith("The server had an error"));
    }

    @Test
    void multipartParserReadsQuotedParametersAndRejectsBrokenBodies() {
        String body = "--b1\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"we \\\"ird\\\".png\"\r\n"
                + "content-type: image/png\r\n\r\nPNGDATA\r\n--b1\r\nContent-Disposition: form-data; name=prompt\r\n\r\n"
                + "line one\r\nline two\r\n--b1--\r\n";
        MultipartForm form = MultipartForm.parse("multipart/form-data; boundary=\"b1\"", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, form.parts().size());
        MultipartForm.Part image = form.parts().get(0);
        assertEquals("image[]", image.name());
        assertEquals("we \"ird\".png", image.filename());
        assertEquals("image/png", image.contentType());
        assertArrayEquals("PNGDATA".getBytes(StandardCharsets.UTF_8), image.content());
        assertEquals("line one\r\nline two", form.first("prompt").orElseThrow().text());
        assertNull(form.first("prompt").orElseThrow().filename());

        assertThrows(IllegalArgumentException.class, () -> MultipartForm.parse("multipart/form-data; boundary=b1",
                "--b1\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.parse("application/json", new byte[0]));
    }

    // ---- helpers

    private MultipartBodyWriter validForm(String prompt) {
        return new MultipartBodyWriter().file("image", "a.png", "image/png", png).field("prompt", prompt)
                .field("model", "gpt-image-2");
    }

    private HttpResponse<String> send(MultipartBodyWriter form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/images/edits"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", form.contentType())
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toBytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertInvalid(MultipartBodyWriter form, String param, String messagePart) throws Exception {
        HttpResponse<String> reply = send(form);
        assertEquals(400, reply.statusCode(), reply.body());
        JsonNode error = mapper.readTree(reply.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals(param, error.get("param").asText(), reply.body());
        assertTrue(error.get("message").asText().contains(messagePart), error.get("message").asText());
    }
}
