package io.darkroom.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook destinations against a receiver that checks Standard Webhooks signatures. */
class WebhookDeliveryTest extends DarkroomTestSupport {

    private static final byte[] KEY = "a 24-byte signing key!!!".getBytes(StandardCharsets.UTF_8);

    private final WebhookReceiver receiver = startReceiver();

    private static WebhookReceiver startReceiver() {
        try {
            return new WebhookReceiver(KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.webhook.secret", "whsec_" + Base64.getEncoder().encodeToString(KEY));
        properties.put("darkroom.webhook.initial-delay", "50");
        properties.put("darkroom.webhook.max-delay", "200");
        properties.put("darkroom.webhook.max-attempts", "3");
        // the receiver runs on this machine: allowed by name, and its folder as a destination root
        properties.put("darkroom.webhook.allowed-http-hosts", "localhost,127.0.0.1");
        properties.put("darkroom.destinations.file-roots", work.toString());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Path hooked() {
        return work.resolve("hooked");
    }

    private String ticket(String prompt, String... destinations) {
        String list = List.of(destinations).stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(", "));
        return "{\"prompt\": \"" + prompt + "\", \"destinations\": [" + list + "]}";
    }

    @Test
    void everyJobIsPostedOnceSignedWithWhereItsOutputsAre() throws Exception {
        sample("coffee.png", "mug.png");
        write("mug.json", ticket("the same mug on marble", "file:" + hooked(), receiver.url()));
        sample("chelsea.png", "cat.png");
        write("cat.json", ticket("the same cat as a sticker", "file:" + hooked(), receiver.url()));
        sample("coffee.png", "remote.png");
        write("remote.json", ticket("a mug", "file:" + hooked(), "http://example.com/hook"));

        awaitFinished(3, Duration.ofSeconds(20));
        assertEquals(2, outcomes().delivered(), outcomes().summary());
        assertEquals(2, receiver.received().size(), "one request per job, no repeats");
        assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
        Set<String> ids = receiver.accepted().stream().map(WebhookReceiver.Received::id).collect(Collectors.toSet());
        assertEquals(2, ids.size(), "each job has its own webhook-id");

        for (WebhookReceiver.Received delivery : receiver.accepted()) {
            JsonNode manifest = JSON.readTree(delivery.body());
            assertEquals("DELIVERED", manifest.get("state").asText());
            String job = manifest.get("job").asText();
            JsonNode output = manifest.get("outputs").get(0);
            String location = output.get("locations").get(0).asText();
            assertEquals(hooked().resolve(job).resolve(output.get("file").asText()).toString(), location);
            assertTrue(Files.isRegularFile(Path.of(location)), "the webhook is sent after the outputs are stored");
            assertTrue(Math.abs(delivery.timestamp() - System.currentTimeMillis() / 1000) < 60);
        }
        JsonNode refused = errorFor(failed, "remote.json");
        assertEquals("TICKET_INVALID", refused.get("code").asText());
        assertTrue(refused.get("message").asText().contains("http://example.com/hook"), refused.toString());
    }

    @Test
    void aReceiverThatFailsTwiceStillGetsExactlyOneAcceptedDelivery() throws Exception {
        receiver.failFirst(2);
        sample("coffee.png", "mug.png");
        write("mug.json", ticket("the same mug on marble", "file:" + hooked(), receiver.url()));

        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered(), outcomes().summary());
        List<WebhookReceiver.Received> received = receiver.received();
        assertEquals(List.of(500, 500, 204), received.stream().map(WebhookReceiver.Received::answered).toList());
        assertEquals(1, received.stream().map(WebhookReceiver.Received::id).distinct().count(), "every retry carries the same webhook-id");
        assertTrue(received.stream().allMatch(WebhookReceiver.Received::signatureValid));
        assertEquals(1, receiver.accepted().size());
    }

    @Test
    void aReceiverThatNeverAcceptsFailsTheJobAndTheManifestSaysWhy() throws Exception {
        receiver.failFirst(Integer.MAX_VALUE);
        sample("coffee.png", "mug.png");
        write("mug.json", ticket("the same mug on marble", "file:" + hooked(), receiver.url()));

        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().failed(), outcomes().summary());
        assertEquals(3, receiver.received().size(), "darkroom.webhook.max-attempts");

        JsonNode error = errorFor(failed, "mug.json");
        assertEquals("DELIVERY_FAILED", error.get("code").asText());
        assertTrue(error.get("message").asText().contains(receiver.url()) && error.get("message").asText().contains("HTTP 500"), error.toString());
        String job = error.get("job").asText();
        JsonNode manifest = readJson(hooked().resolve(job).resolve(job + ".json"));
        assertEquals("FAILED", manifest.get("state").asText());
        assertTrue(manifest.get("failedDestinations").get(receiver.url()).asText().contains("3 attempts"), manifest.toString());
    }
}
