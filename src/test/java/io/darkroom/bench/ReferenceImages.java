package io.darkroom.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes the benchmark's inputs: reference images of random RGB pixels (incompressible, so an image
 * of a given size really is that many bytes on the wire) and a ticket beside each one.
 */
final class ReferenceImages {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ReferenceImages() {
    }

    /**
     * Writes {@code count} jobs into {@code folder}: {@code job-00001.png} (side x side noise) and
     * {@code job-00001.json}, a brand ticket (one reference, flux-2-pro). Returns the image paths.
     */
    static List<Path> writeJobs(Path folder, int count, int side, long seed) throws IOException {
        Files.createDirectories(folder);
        List<Path> images = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String stem = String.format("job-%05d", i);
            Path image = folder.resolve(stem + ".png");
            writeNoisePng(image, side, side, seed + i);
            Files.writeString(folder.resolve(stem + ".json"),
                    "{\"prompt\": \"the same product on a plain studio backdrop, bench job " + i + "\", \"useCase\": \"brand\"}\n");
            images.add(image);
        }
        return images;
    }

    /** A valid PNG of random pixels, stored without compression (random data does not compress anyway). */
    static void writeNoisePng(Path file, int width, int height, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(PNG_SIGNATURE);
            ChunkBuffer header = new ChunkBuffer();
            header.data.writeInt(width);
            header.data.writeInt(height);
            header.data.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter method, no interlace
            header.writeTo(out, "IHDR");

            ChunkBuffer pixels = new ChunkBuffer();
            Deflater deflater = new Deflater(Deflater.NO_COMPRESSION);
            try (DeflaterOutputStream zip = new DeflaterOutputStream(pixels.data, deflater, 64 * 1024)) {
                byte[] row = new byte[1 + 3 * width]; // filter byte 0 (none), then RGB
                for (int y = 0; y < height; y++) {
                    for (int x = 1; x < row.length; x += 8) {
                        long bits = random.nextLong();
                        for (int b = 0; b < 8 && x + b < row.length; b++) {
                            row[x + b] = (byte) (bits >>> (8 * b));
                        }
                    }
                    zip.write(row);
                }
            } finally {
                deflater.end();
            }
            pixels.writeTo(out, "IDAT");
            new ChunkBuffer().writeTo(out, "IEND");
        }
    }

    /** One PNG chunk: length, type, data, CRC-32 of type and data. */
    private static final class ChunkBuffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream data = new DataOutputStream(bytes);

        void writeTo(OutputStream out, String type) throws IOException {
            data.flush();
            byte[] body = bytes.toByteArray();
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(body);
            DataOutputStream chunk = new DataOutputStream(out);
            chunk.writeInt(body.length);
            chunk.write(name);
            chunk.write(body);
            chunk.writeInt((int) crc.getValue());
            chunk.flush();
        }
    }
}
