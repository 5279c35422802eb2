package io.darkroom.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ticket cannot make Darkroom write or connect outside its folders: file: destinations must lie
 * under the destination roots after following links (never in the inbox), s3:// needs S3 set up,
 * webhooks go to public hosts only. Each is refused at accept, before the provider is paid.
 */
class DestinationRootsTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(50));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.webhook.secret", "a signing secret for the test");
    }

    private void ticket(String name, String prompt, String destination) throws Exception {
        sample("chelsea.png", name + ".png");
        write(name + ".json", "{\"prompt\": \"" + prompt + "\", \"variants\": 1, \"destinations\": [" + JSON.writeValueAsString(destination) + "]}");
    }

    @Test
    void destinationsOutsideTheRootsAreRefusedBeforeAnySpend() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Files.createDirectories(outbox);
        Files.createSymbolicLink(outbox.resolve("link"), elsewhere);
        Files.createSymbolicLink(outbox.resolve("back"), inbox);

        ticket("etc", "p-etc", "file:/etc/darkroom-results");
        ticket("climb", "p-climb", "file:../../climbed");
        ticket("linked", "p-linked", "file:" + outbox.resolve("link").resolve("sub"));
        ticket("bucket", "p-bucket", "s3://some-bucket/results/");
        ticket("metadata", "p-metadata", "https://169.254.169.254/latest/hook");
        ticket("private", "p-private", "https://10.1.2.3/hook");
        ticket("loopback", "p-loopback", "https://localhost:8443/hook");
        ticket("nul", "p-nul", "file:" + outbox + "/a\u0000b");
        // a folder whose defaults deliver back into the inbox through a link
        write("loop/_defaults.yaml", "destinations: [\"file:" + outbox.resolve("back").resolve("loop") + "\"]\n");
        Files.write(inbox.resolve("loop").resolve("cat.png"), sampleBytes("chelsea.png"));
        write("loop/cat.txt", "p-loop");
        // a folder under the outbox is fine
        ticket("relative", "p-relative", "file:" + outbox.resolve("sub/../sub/folder"));

        awaitFinished(10, Duration.ofSeconds(30));
        assertEquals(1, outcomes().delivered(), outcomes().summary() + " " + filesUnder(failed));
        assertEquals(1, simulator.get().submitCount(), "only the good job reached the provider");
        assertEquals(1, simulator.get().submitCountForPrompt("p-relative"));
        assertTrue(filesUnder(outbox.resolve("sub/folder")).stream().anyMatch(f -> f.endsWith("-1.png")));

        refused("etc.json", "outside the destination folders");
        refused("climb.json", "outside the destination folders");
        refused("linked.json", "outside the destination folders");
        refused("bucket.json", "no S3 is configured");
        refused("metadata.json", "link-local");
        refused("private.json", "private");
        refused("loopback.json", "loopback");
        refused("nul.json", "not a usable folder name");
        JsonNode loop = errorFor(failed.resolve("loop"), "cat.txt");
        assertEquals("TICKET_INVALID", loop.at("/code").asText());
        assertTrue(loop.at("/message").asText().contains("inside the inbox"), loop.toString());

        assertEquals(List.of(), filesUnder(elsewhere), "nothing written through the link");
        assertFalse(Files.exists(work.resolve("climbed")));
        assertEquals("true", System.getProperty("aws.disableEc2Metadata"), "the AWS SDK never asks the metadata address");
    }

    private void refused(String ticket, String reason) throws Exception {
        JsonNode error = errorFor(failed, ticket);
        assertEquals("TICKET_INVALID", error.at("/code").asText(), error.toString());
        assertTrue(error.at("/message").asText().contains(reason), ticket + ": " + error);
        assertEquals("accept", error.at("/stage").asText(), "refused at accept, before any spend: " + error);
    }
}
