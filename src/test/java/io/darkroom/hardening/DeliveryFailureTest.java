package io.darkroom.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.s3.S3TestServer;
import io.darkroom.sim.AtlasSimulatorExtension;
import io.darkroom.deliver.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paid result is never thrown away: when destinations cannot be written (a folder that cannot be
 * created, a bucket that does not exist) the other destinations still get the outputs, the job ends
 * DELIVERY_FAILED with its outputs kept and listed, and dropping the ticket again delivers the kept
 * outputs to the destinations that missed them without calling the provider again; so does the
 * console's Redeliver, here after a webhook that never accepted.
 */
class DeliveryFailureTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(100));

    private static S3TestServer s3;
    private static final byte[] WEBHOOK_KEY = "a 24-byte signing key!!!".getBytes(StandardCharsets.UTF_8);
    private final WebhookReceiver receiver = startReceiver();
    private final String missingBucket = "later-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        s3.configure(properties, s3.newBucket());
        properties.put("darkroom.s3.enabled", "false");
        properties.put("darkroom.deliver.max-attempts", "2");
        properties.put("darkroom.deliver.initial-delay", "50");
        properties.put("darkroom.deliver.max-delay", "100");
        properties.put("darkroom.webhook.secret", "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY));
        properties.put("darkroom.webhook.initial-delay", "50");
        properties.put("darkroom.webhook.max-delay", "100");
        properties.put("darkroom.webhook.max-attempts", "2");
        properties.put("darkroom.webhook.allowed-http-hosts", "127.0.0.1");
    }

    private static WebhookReceiver startReceiver() {
        try {
            return new WebhookReceiver(WEBHOOK_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void outputsAreKeptWhenDestinationsFailAndARedropDeliversThemWithoutPayingAgain() throws Exception {
        Path blocked = outbox.resolve("blocked");
        Path fine = outbox.resolve("fine");
        Unwritable.folder(blocked);
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"the cat on a windowsill\", \"variants\": 1, \"destinations\": [\"file:" + blocked
                + "\", \"file:" + fine + "\", \"s3://" + missingBucket + "/results/\"]}");

        awaitFinished(1, Duration.ofSeconds(30));
        assertEquals(1, simulator.get().submitCount());
        JsonNode error = errorFor(failed, "cat.json");
        assertEquals("DELIVERY_FAILED", error.at("/code").asText(), error.toString());
        assertTrue(error.at("/message").asText().contains(blocked.toString()), error.toString());
        assertTrue(error.at("/failedDestinations").has("s3://" + missingBucket + "/results/"), error.toString());
        String job = error.at("/job").asText();
        assertEquals(1, error.at("/keptOutputs").size(), error.toString());
        Path kept = Path.of(error.at("/keptOutputs/0").asText());
        assertTrue(Files.isRegularFile(kept), "the paid output is kept: " + kept);
        assertTrue(kept.startsWith(data), "kept under the data folder");
        assertTrue(Files.isRegularFile(fine.resolve(job).resolve(job + "-1.png")), "the destination that works got the output");
        assertTrue(Files.isRegularFile(fine.resolve(job).resolve(job + ".json")));

        // the user fixes the destinations and drops the same input again
        Unwritable.fix(blocked);
        s3.client().createBucket(b -> b.bucket(missingBucket));
        Files.move(failed.resolve("cat.json"), work.resolve("cat.json"));
        Files.move(failed.resolve("cat.png"), work.resolve("cat.png"));
        Files.move(work.resolve("cat.png"), inbox.resolve("cat.png"));
        Files.move(work.resolve("cat.json"), inbox.resolve("cat.json"));

        awaitFinished(2, Duration.ofSeconds(30));
        assertEquals(1, simulator.get().submitCount(), "the kept outputs are delivered; the provider is not called again");
        assertEquals(1, outcomes().delivered(), outcomes().summary());
        assertTrue(Files.isRegularFile(blocked.resolve(job).resolve(job + "-1.png")));
        assertTrue(s3.keys(missingBucket).contains("results/" + job + "/" + job + "-1.png"), s3.keys(missingBucket).toString());
        assertTrue(Files.isRegularFile(done.resolve("cat.json")));
        assertFalse(Files.exists(kept), "kept outputs go once every destination has them");
    }

    @Test
    void aWebhookThatNeverAcceptsKeepsTheOutputsAndRedeliverInTheConsoleSendsThemWithoutPayingAgain() throws Exception {
        receiver.failFirst(Integer.MAX_VALUE);
        Path fine = outbox.resolve("fine");
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"the cat on a windowsill\", \"destinations\": [\"file:" + fine + "\", \"" + receiver.url() + "\"]}");

        awaitFinished(1, Duration.ofSeconds(30));
        JsonNode error = errorFor(failed, "cat.json");
        assertEquals("DELIVERY_FAILED", error.at("/code").asText(), error.toString());
        assertTrue(error.at("/failedDestinations").has(receiver.url()), error.toString());
        assertEquals(2, receiver.received().size(), "darkroom.webhook.max-attempts");
        String job = error.at("/job").asText();
        Path kept = Path.of(error.at("/keptOutputs/0").asText());
        assertTrue(Files.isRegularFile(kept), "the paid output is kept: " + kept);

        // the receiver is fixed; the operator presses Redeliver in the console
        receiver.failFirst(0);
        HttpResponse<String> pressed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serverPort + "/jobs/" + job + "/redeliver")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, pressed.statusCode(), pressed.body());
        assertTrue(pressed.headers().firstValue("Location").orElse("").contains("delivered+again"), pressed.headers().map().toString());

        awaitFinished(2, Duration.ofSeconds(30));
        assertEquals(1, simulator.get().submitCount(), "the kept outputs are delivered; the provider is not called again");
        assertEquals(1, receiver.accepted().size(), "the webhook got the job once it accepted");
        JsonNode manifest = JSON.readTree(receiver.accepted().get(0).body());
        assertEquals(job, manifest.at("/job").asText());
        assertEquals("DELIVERED", manifest.at("/state").asText(), manifest.toString());
        assertTrue(Files.isRegularFile(done.resolve("cat.json")));
        assertFalse(Files.exists(failed.resolve("cat.json.error.json")), "the error file went with the redelivery");
        assertFalse(Files.exists(kept), "kept outputs go once every destination has them");
    }

    @Test
    void redeliverRefusesAJobThatDidNotFailAtDelivery() throws Exception {
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"the cat on a windowsill\"}");
        awaitFinished(1, Duration.ofSeconds(30));
        String job = context.getRegistry().lookupByNameAndType("jobLedger", io.darkroom.ledger.JobLedger.class).all(1).get(0).getId();

        HttpResponse<String> pressed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serverPort + "/jobs/" + job + "/redeliver")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(java.net.URLDecoder.decode(pressed.headers().firstValue("Location").orElse(""), java.nio.charset.StandardCharsets.UTF_8)
                .contains("did not fail at delivery"), pressed.headers().map().toString());
        assertEquals(1, outcomes().delivered(), outcomes().summary());
    }
}
