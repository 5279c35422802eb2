package io.darkroom.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.s3.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 intake and the s3:// destination against an S3-compatible server in the test's JVM. */
class S3IntakeTest extends DarkroomTestSupport {

    private static S3TestServer s3;
    private String bucket;

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
        bucket = s3.newBucket();
        s3.configure(properties, bucket);
    }

    @Test
    void ticketsAndImagesUnderThePrefixAreDeliveredToTheBucketAndArchived() throws Exception {
        s3.put(bucket, "inbox/coffee.png", sampleBytes("coffee.png"));
        s3.put(bucket, "inbox/coffee.txt", "the same mug on a marble counter, soft window light");
        s3.put(bucket, "inbox/variants/_defaults.yaml", "prompt: the cat as a watercolour sticker\nuseCase: variants\n");
        s3.put(bucket, "inbox/variants/cat.png", sampleBytes("chelsea.png"));
        s3.put(bucket, "inbox/broken.jpg", sampleBytes("truncated.jpg"));
        s3.put(bucket, "inbox/broken.txt", "a rocket at dawn");
        s3.put(bucket, "inbox/loop.png", sampleBytes("coffee.png"));
        s3.put(bucket, "inbox/loop.json", "{\"prompt\": \"a mug\", \"destinations\": [\"s3://" + bucket + "/inbox/results/\"]}");

        awaitFinished(4, Duration.ofSeconds(30));
        assertEquals(2, outcomes().delivered(), outcomes().summary());
        assertEquals(2, outcomes().failed(), outcomes().summary());

        List<String> keys = s3.keys(bucket);
        assertTrue(keys.contains("done/coffee.png") && keys.contains("done/coffee.txt"), keys.toString());
        assertTrue(keys.contains("done/variants/cat.png"), keys.toString());
        assertTrue(keys.contains("failed/broken.jpg") && keys.contains("failed/broken.txt"), keys.toString());
        assertEquals(List.of("inbox/variants/_defaults.yaml"), keys.stream().filter(k -> k.startsWith("inbox/")).toList(),
                "only the folder defaults stay in the intake");

        JsonNode corrupt = JSON.readTree(s3.text(bucket, "failed/broken.txt.error.json"));
        assertEquals("IMAGE_CORRUPT", corrupt.get("code").asText());
        JsonNode loop = JSON.readTree(s3.text(bucket, "failed/loop.json.error.json"));
        assertEquals("TICKET_INVALID", loop.get("code").asText());
        assertTrue(loop.get("message").asText().contains("s3://" + bucket + "/inbox/results/"), loop.toString());

        for (String useCase : List.of("brand", "variants")) {
            List<String> job = keys.stream().filter(k -> k.startsWith("outbox/" + useCase + "/")).toList();
            assertEquals(2, job.size(), "one output and the manifest: " + job);
            String manifestKey = job.stream().filter(k -> k.endsWith(".json")).findFirst().orElseThrow();
            JsonNode manifest = JSON.readTree(s3.text(bucket, manifestKey));
            assertEquals("DELIVERED", manifest.get("state").asText());
            assertEquals("s3", manifest.get("source").asText());
            String output = manifest.get("outputs").get(0).get("file").asText();
            assertTrue(job.contains(manifestKey.substring(0, manifestKey.lastIndexOf('/') + 1) + output), job.toString());
        }
        assertEquals(List.of(), filesUnder(data.resolve("staging")), "staged copies are removed once archived");
    }
}
