package io.darkroom.pipeline;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.intake.InboxScanner;
import io.darkroom.intake.JobClaims;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files still being written are never read; a ticket that arrives before its image waits for it. */
class ArrivalTest extends DarkroomTestSupport {

    @Override
    protected void testProperties(Properties properties) {
        // a writer pausing longer than this between steps would look finished: keep it above a scan or two
        properties.put("darkroom.intake.min-age", "1s");
        properties.put("darkroom.intake.missing-reference-grace", "1m");
    }

    @Test
    void anImageGrowingInStepsIsPickedUpOnlyWhenComplete() throws Exception {
        byte[] image = sampleBytes("coffee.png");
        write("growing.txt", "the mug on a wooden table");
        Path target = inbox.resolve("growing.png");
        int steps = 6;
        int chunk = image.length / steps + 1;
        for (int offset = 0; offset < image.length; offset += chunk) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(Arrays.copyOfRange(image, offset, Math.min(image.length, offset + chunk)));
            }
            awaitScans(2);
            assertEquals(0, claims().size(), "nothing is taken while the image grows");
        }
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered(), "failed: " + filesUnder(failed));
        assertArrayEquals(image, Files.readAllBytes(done.resolve("growing.png")), "the whole image went through");
    }

    @Test
    void aTicketDroppedBeforeItsImageWaitsForIt() throws Exception {
        write("early.json", "{\"prompt\": \"the cat on a sofa\", \"references\": [\"late.png\"]}");
        awaitScans(15);
        assertEquals(0, claims().size(), "the ticket waits");
        assertEquals(List.of(), filesUnder(failed));
        sample("chelsea.png", "late.png");
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered(), "failed: " + filesUnder(failed));
        assertEquals(List.of("early.json", "late.png"), filesUnder(done));
    }

    private JobClaims claims() {
        return context.getRegistry().lookupByNameAndType("jobClaims", JobClaims.class);
    }

    private void awaitScans(int scans) {
        InboxScanner scanner = context.getRegistry().lookupByNameAndType("inboxScanner", InboxScanner.class);
        long target = scanner.scanCount() + scans;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> scanner.scanCount() >= target);
    }
}
