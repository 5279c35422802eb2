package io.darkroom.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.s3.S3TestServer;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paid result is never thrown away: when destinations cannot be written (a folder that cannot be
 * created, a bucket that does not exist) the other destinations still get the outputs, the job ends
 * DELIVERY_FAILED with its outputs kept and listed, and dropping the ticket again delivers the kept
 * outputs to the destinations that missed them without calling the provider again.
 */
class DeliveryFailureTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(100));

    private static S3TestServer s3;
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
}
