package io.darkroom.intake;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.image.StoredPng;
import io.darkroom.s3.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image larger than 50 MB goes from the bucket through the whole pipeline without ever being
 * held whole in memory. Measured from the heap, not timed: arrays that large are allocated straight
 * into the old generation, so its peak shows any copy of the image, while the small buffers of a
 * stream live and die in the young generation.
 */
class S3LargeImageTest extends DarkroomTestSupport {

    private static final int SIDE = 4_500;
    private static Path blobs;
    private static S3TestServer s3;
    private String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        // blobs on disk, so the test's own server does not hold the image in this heap either
        blobs = Files.createTempDirectory("darkroom-s3-blobs");
        s3 = S3TestServer.onDisk(blobs);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        try (var files = Files.walk(blobs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected void testProperties(Properties properties) {
        bucket = s3.newBucket();
        s3.configure(properties, bucket);
        properties.put("darkroom.limits.max-image-bytes", String.valueOf(100L * 1024 * 1024));
    }

    @Test
    void aLargeImageIsStreamedNotHeld() throws Exception {
        Path image = StoredPng.write(work.resolve("poster.png"), SIDE, SIDE);
        long size = Files.size(image);
        assertTrue(size > 50_000_000L, "the image must be larger than 50 MB: " + size);
        s3.put(bucket, "inbox/poster.png", image);
        Files.delete(image);

        OldGenerationPeak peak = OldGenerationPeak.start();
        s3.put(bucket, "inbox/poster.txt", "the same poster on a brick wall at night");
        awaitFinished(1, Duration.ofSeconds(60));
        long growth = peak.growth();

        assertEquals(1, outcomes().delivered(), outcomes().summary());
        List<String> keys = s3.keys(bucket);
        assertTrue(keys.contains("done/poster.png"), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("outbox/brand/") && k.endsWith(".json")), keys.toString());
        System.out.printf(Locale.ROOT, "large image: %,d bytes; old generation grew by at most %,d bytes%n", size, growth);
        assertTrue(growth < size, String.format(Locale.ROOT,
                "the old generation grew by %,d bytes while a %,d-byte image passed: it was held whole", growth, size));
    }

    /** The highest old-generation use since start, less the use at start (after a collection). */
    static final class OldGenerationPeak {
        private final List<MemoryPoolMXBean> pools;
        private final long baseline;

        private OldGenerationPeak(List<MemoryPoolMXBean> pools, long baseline) {
            this.pools = pools;
            this.baseline = baseline;
        }

        static OldGenerationPeak start() {
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                    .toList();
            if (pools.isEmpty()) {
                throw new IllegalStateException("no old-generation pool in " + ManagementFactory.getMemoryPoolMXBeans());
            }
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long used = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            return new OldGenerationPeak(pools, used);
        }

        long growth() {
            return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - baseline;
        }
    }
}
