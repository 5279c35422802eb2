package io.darkroom.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageInspectorTest {

    private static final long MAX_BYTES = 50L * 1024 * 1024;
    private static final long MAX_PIXELS = 100_000_000L;

    private final ImageInspector inspector = new ImageInspector(MAX_BYTES, MAX_PIXELS);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"coffee.png, PNG", "chelsea.png, PNG", "rocket.jpg, JPEG"})
    void samplePhotosGiveTheirFormatAndTheDimensionsImageIoReads(String name, ImageFormat format) throws Exception {
        Path file = sample(name);

        ImageFacts facts = inspector.inspect(file);

        int[] expected = imageIoDimensions(file);
        assertEquals(format, facts.getFormat());
        assertEquals(expected[0], facts.getWidth());
        assertEquals(expected[1], facts.getHeight());
        assertEquals(Files.size(file), facts.getSizeBytes());
        assertEquals(name, facts.getFileName());
    }

    @Test
    void truncatedSampleJpegIsCorrupt() throws Exception {
        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, sample("truncated.jpg"));
        assertTrue(failure.getMessage().startsWith("truncated.jpg "), failure.getMessage());
    }

    @Test
    void zeroByteFileIsCorruptAndSaysItIsEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));

        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, empty);

        assertTrue(failure.getMessage().startsWith("empty.jpg is empty (0 bytes)"), failure.getMessage());
    }

    @Test
    void textNamedLikeAPngIsUnsupportedWhateverItsName() throws IOException {
        Path shoe = Files.writeString(dir.resolve("shoe.png"), "this is a shopping list, not a photo\n");

        JobFailure failure = assertFails(ErrorCode.IMAGE_UNSUPPORTED, shoe);

        assertTrue(failure.getMessage().startsWith(
                "shoe.png is named like an image but its bytes are not PNG, JPEG or WebP"), failure.getMessage());
    }

    @Test
    void unknownBytesWithoutAnImageNameAreUnsupported() throws IOException {
        Path gif = Files.write(dir.resolve("anim.gif"), "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));

        JobFailure failure = assertFails(ErrorCode.IMAGE_UNSUPPORTED, gif);

        assertTrue(failure.getMessage().contains("anim.gif is not a PNG, JPEG or WebP image"), failure.getMessage());
        assertTrue(failure.getMessage().contains("GIF"), failure.getMessage());
    }

    @Test
    void typeComesFromBytesNotName() throws IOException {
        Path misnamed = Files.copy(sample("coffee.png"), dir.resolve("coffee.jpg"));

        assertEquals(ImageFormat.PNG, inspector.inspect(misnamed).getFormat());
    }

    @Test
    void pngCutInHalfIsCorrupt() throws IOException {
        byte[] png = Files.readAllBytes(sample("coffee.png"));
        Path half = Files.write(dir.resolve("half.png"), Arrays.copyOf(png, png.length / 2));

        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, half);

        assertTrue(failure.getMessage().contains("cut off"), failure.getMessage());
    }

    @Test
    void pngWithoutIendIsCorrupt() throws IOException {
        byte[] png = Files.readAllBytes(sample("coffee.png"));
        Path noEnd = Files.write(dir.resolve("noend.png"), Arrays.copyOf(png, png.length - 12));

        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, noEnd);

        assertEquals("noend.png ends before its IEND chunk: the file is cut off", failure.getMessage());
    }

    @Test
    void jpegWithoutEndOfImageMarkerIsCorrupt() throws IOException {
        byte[] jpeg = Files.readAllBytes(sample("rocket.jpg"));
        Path cut = Files.write(dir.resolve("rocket.jpg"), Arrays.copyOf(jpeg, jpeg.length - 2));

        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, cut);

        assertEquals("rocket.jpg ends before its end-of-image marker: the file is cut off", failure.getMessage());
    }

    @Test
    void jpegWithZeroPaddingAfterEndOfImageIsAccepted() throws IOException {
        byte[] jpeg = Files.readAllBytes(sample("rocket.jpg"));
        Path padded = Files.write(dir.resolve("padded.jpg"), Arrays.copyOf(jpeg, jpeg.length + 5000));

        assertEquals(ImageFormat.JPEG, inspector.inspect(padded).getFormat());
    }

    @ParameterizedTest
    @CsvSource({"1, false", "3, false", "5, true", "6, true", "7, true", "8, true"})
    void jpegDimensionsAreAsDisplayedAfterItsExifOrientation(int orientation, boolean turned) throws IOException {
        Path plain = sample("rocket.jpg");
        int[] stored = imageIoDimensions(plain);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Path oriented = Files.write(dir.resolve("oriented.jpg"), ExifJpeg.withOrientation(Files.readAllBytes(plain), orientation, order));

            ImageFacts facts = inspector.inspect(oriented);

            assertEquals(turned ? stored[1] : stored[0], facts.getWidth(), "orientation " + orientation + ", " + order);
            assertEquals(turned ? stored[0] : stored[1], facts.getHeight(), "orientation " + orientation + ", " + order);
        }
    }

    @Test
    void aDamagedExifBlockLeavesTheJpegAsStored() throws IOException {
        byte[] jpeg = ExifJpeg.withOrientation(Files.readAllBytes(sample("rocket.jpg")), 6, ByteOrder.BIG_ENDIAN);
        jpeg[2 + 4 + 6] = 'X'; // the TIFF byte order mark is no longer II or MM
        Path damaged = Files.write(dir.resolve("damaged-exif.jpg"), jpeg);

        ImageFacts facts = inspector.inspect(damaged);

        assertEquals(imageIoDimensions(sample("rocket.jpg"))[0], facts.getWidth());
    }

    @Test
    void losslessWebpHeaderGivesItsDimensions() throws IOException {
        Path webp = Files.write(dir.resolve("lossless.webp"), riff(vp8lChunk(1234, 567)));

        ImageFacts facts = inspector.inspect(webp);

        assertEquals(ImageFormat.WEBP, facts.getFormat());
        assertEquals(1234, facts.getWidth());
        assertEquals(567, facts.getHeight());
    }

    @Test
    void extendedWebpGivesItsCanvasDimensions() throws IOException {
        Path webp = Files.write(dir.resolve("extended.webp"), riff(vp8xChunk(4000, 3000), vp8lChunk(4000, 3000)));

        ImageFacts facts = inspector.inspect(webp);

        assertEquals(ImageFormat.WEBP, facts.getFormat());
        assertEquals(4000, facts.getWidth());
        assertEquals(3000, facts.getHeight());
    }

    @Test
    void lossyWebpHeaderGivesItsDimensions() throws IOException {
        Path webp = Files.write(dir.resolve("lossy.webp"), riff(vp8Chunk(640, 480)));

        ImageFacts facts = inspector.inspect(webp);

        assertEquals(640, facts.getWidth());
        assertEquals(480, facts.getHeight());
    }

    @Test
    void webpWhoseRiffSizeDoesNotMatchTheFileIsCorrupt() throws IOException {
        byte[] webp = riff(vp8lChunk(100, 100));
        Path longer = Files.write(dir.resolve("longer.webp"), Arrays.copyOf(webp, webp.length + 40));
        Path shorter = Files.write(dir.resolve("shorter.webp"), Arrays.copyOf(webp, webp.length - 4));

        assertFails(ErrorCode.IMAGE_CORRUPT, longer);
        JobFailure cut = assertFails(ErrorCode.IMAGE_CORRUPT, shorter);
        assertTrue(cut.getMessage().startsWith("shorter.webp is cut off"), cut.getMessage());
    }

    @Test
    void pngClaimingTooManyPixelsIsTooLargeFromItsHeaderAlone() throws IOException {
        Path huge = Files.write(dir.resolve("huge.png"), png(20000, 20000));
        assertTrue(Files.size(huge) < 100, "the file itself stays tiny");

        JobFailure failure = assertFails(ErrorCode.IMAGE_TOO_LARGE, huge);

        assertEquals("huge.png is 20000 x 20000 = 400,000,000 pixels, above the limit of 100,000,000 pixels",
                failure.getMessage());
    }

    @Test
    void handBuiltPngWithinLimitsIsAccepted() throws IOException {
        ImageFacts facts = inspector.inspect(Files.write(dir.resolve("small.png"), png(300, 200)));

        assertEquals(300, facts.getWidth());
        assertEquals(200, facts.getHeight());
    }

    @Test
    void fileAboveTheByteLimitIsTooLarge() throws IOException {
        ImageInspector strict = new ImageInspector(10_000, MAX_PIXELS);

        JobFailure failure = assertThrows(JobFailure.class, () -> strict.inspect(sample("rocket.jpg")));

        assertEquals(ErrorCode.IMAGE_TOO_LARGE, failure.code());
        assertEquals("rocket.jpg is 112,525 bytes, above the limit of 10,000 bytes", failure.getMessage());
    }

    @Test
    void fileCutInsideItsSignatureIsCorruptNotUnsupported() throws IOException {
        Path stub = Files.write(dir.resolve("stub.png"), new byte[] {(byte) 0x89, 'P', 'N'});

        assertFails(ErrorCode.IMAGE_CORRUPT, stub);
    }

    @Test
    void missingFileIsCorruptAndItsMessageHoldsNoPath() {
        JobFailure failure = assertFails(ErrorCode.IMAGE_CORRUPT, dir.resolve("gone.png"));

        assertTrue(failure.getMessage().startsWith("gone.png could not be read"), failure.getMessage());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private JobFailure assertFails(ErrorCode expected, Path file) {
        JobFailure failure = assertThrows(JobFailure.class, () -> inspector.inspect(file));
        assertEquals(expected, failure.code(), failure.getMessage());
        assertFalse(failure.getMessage().contains(dir.toString()), "messages name files, never paths");
        return failure;
    }

    private static Path sample(String name) {
        try {
            return Path.of(ImageInspectorTest.class.getResource("/samples/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] imageIoDimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    /** A structurally complete PNG whose header claims the given size; the pixel data is not real. */
    private static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** RIFF container with the size field counting everything after it, chunks padded to even length. */
    private static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : chunks) {
            body.writeBytes(chunk);
        }
        byte[] content = body.toByteArray();
        return ByteBuffer.allocate(8 + content.length).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(content.length).put(content).array();
    }

    private static byte[] webpChunk(String fourCc, byte[] data) {
        int padded = data.length + (data.length & 1);
        return ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN)
                .put(fourCc.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data).array();
    }

    private static byte[] vp8lChunk(int width, int height) {
        int bits = (width - 1) | (height - 1) << 14; // alpha hint 0, version 0
        byte[] data = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x2f).putInt(bits).array();
        return webpChunk("VP8L", data);
    }

    private static byte[] vp8xChunk(int width, int height) {
        ByteBuffer data = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        data.put((byte) 0).put(new byte[3]);
        putU24(data, width - 1);
        putU24(data, height - 1);
        return webpChunk("VP8X", data.array());
    }

    private static byte[] vp8Chunk(int width, int height) {
        ByteBuffer data = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        data.put(new byte[] {0x50, 0x02, 0x00}); // frame tag: key frame (bit 0 clear)
        data.put(new byte[] {(byte) 0x9d, 0x01, 0x2a});
        data.putShort((short) width).putShort((short) height);
        return webpChunk("VP8 ", data.array());
    }

    private static void putU24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }
}
