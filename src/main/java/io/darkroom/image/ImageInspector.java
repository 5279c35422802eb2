package io.darkroom.image;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Checks that a file really is a complete PNG, JPEG or WebP image within the size limits, and
 * reports its format and dimensions (as displayed: a JPEG turned a quarter by its Exif orientation
 * reports them swapped).
 *
 * <p>The type comes from the file's bytes, never its name. Only headers and container structure
 * are read, through a small window that seeks over the image data, so a 60 MB or 100-megapixel
 * file costs a few kilobytes of memory and is never decoded.
 */
public final class ImageInspector {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] RIFF = ascii("RIFF");
    private static final byte[] WEBP = ascii("WEBP");
    private static final int HEAD_LENGTH = 16;

    private final long maxBytes;
    private final long maxPixels;

    public ImageInspector(long maxBytes, long maxPixels) {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("maxBytes and maxPixels must be positive, got " + maxBytes + " and " + maxPixels);
        }
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /**
     * @throws JobFailure IMAGE_CORRUPT, IMAGE_UNSUPPORTED or IMAGE_TOO_LARGE, with a message that
     *     names the file (by file name only) and says what is wrong
     */
    public ImageFacts inspect(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw corrupt(name + " is empty (0 bytes): nothing was written into it");
            }
            // Checked before any parsing: the byte limit is what keeps later work bounded.
            if (size > maxBytes) {
                throw new JobFailure(ErrorCode.IMAGE_TOO_LARGE, String.format(Locale.ROOT,
                        "%s is %,d bytes, above the limit of %,d bytes", name, size, maxBytes));
            }
            ByteWindow bytes = new ByteWindow(channel, size);
            byte[] head = bytes.read(0, (int) Math.min(HEAD_LENGTH, size));
            ImageFormat format = identify(head, size, name);
            Dimensions dimensions = switch (format) {
                case PNG -> readPng(bytes, name);
                case JPEG -> readJpeg(bytes, name);
                case WEBP -> readWebp(bytes, name);
            };
            long pixels = (long) dimensions.width() * dimensions.height();
            if (pixels > maxPixels) {
                throw new JobFailure(ErrorCode.IMAGE_TOO_LARGE, String.format(Locale.ROOT,
                        "%s is %d x %d = %,d pixels, above the limit of %,d pixels",
                        name, dimensions.width(), dimensions.height(), pixels, maxPixels));
            }
            return new ImageFacts(format, dimensions.width(), dimensions.height(), size, name);
        } catch (IOException e) {
            // The exception's own message usually holds the full path, which must not reach users.
            throw new JobFailure(ErrorCode.IMAGE_CORRUPT,
                    name + " could not be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    // ---- identification -------------------------------------------------------------------

    /** The format the first bytes of an image announce, or null when they are none Darkroom reads. */
    public static ImageFormat sniff(byte[] head) {
        if (startsWith(head, PNG_SIGNATURE)) {
            return ImageFormat.PNG;
        }
        if (startsWith(head, JPEG_SIGNATURE)) {
            return ImageFormat.JPEG;
        }
        if (head.length >= 12 && startsWith(head, RIFF) && regionMatches(head, 8, WEBP)) {
            return ImageFormat.WEBP;
        }
        return null;
    }

    private static ImageFormat identify(byte[] head, long size, String name) {
        ImageFormat sniffed = sniff(head);
        if (sniffed != null) {
            return sniffed;
        }
        // A file shorter than a signature that begins like one was cut off, not mislabelled.
        ImageFormat cutOff = cutOffSignature(head);
        if (cutOff != null) {
            throw corrupt(name + " is only " + size + " bytes and ends inside its " + cutOff
                    + " signature: the file is cut off");
        }
        String lookalike = lookalike(head);
        String suffix = lookalike == null ? "" : " (they look like " + lookalike + ")";
        ImageFormat claimed = ImageFormat.fromName(extensionOf(name));
        if (claimed != null) {
            throw new JobFailure(ErrorCode.IMAGE_UNSUPPORTED, name + " is named like an image but its bytes are not "
                    + "PNG, JPEG or WebP" + suffix);
        }
        throw new JobFailure(ErrorCode.IMAGE_UNSUPPORTED, name + " is not a PNG, JPEG or WebP image: its bytes are not "
                + "one of those" + suffix);
    }

    private static ImageFormat cutOffSignature(byte[] head) {
        if (head.length < 2) {
            return null;
        }
        if (head.length < PNG_SIGNATURE.length && isPrefix(head, PNG_SIGNATURE)) {
            return ImageFormat.PNG;
        }
        if (head.length < JPEG_SIGNATURE.length && isPrefix(head, JPEG_SIGNATURE)) {
            return ImageFormat.JPEG;
        }
        if (head.length < 12 && isPrefix(head, RIFF)
                && (head.length <= 8 || isPrefix(Arrays.copyOfRange(head, 8, head.length), WEBP))) {
            return ImageFormat.WEBP;
        }
        return null;
    }

    /** Names formats people commonly mistake for the supported ones, so the message can say so. */
    private static String lookalike(byte[] head) {
        if (startsWith(head, ascii("GIF8"))) {
            return "GIF";
        }
        if (startsWith(head, new byte[] {'I', 'I', 42, 0}) || startsWith(head, new byte[] {'M', 'M', 0, 42})) {
            return "TIFF";
        }
        if (head.length >= 12 && regionMatches(head, 4, ascii("ftyp"))) {
            String brand = new String(head, 8, 4, StandardCharsets.US_ASCII);
            if (brand.startsWith("avi")) {
                return "AVIF";
            }
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return "HEIC";
            }
            return "a video or other ISO media file";
        }
        if (startsWith(head, RIFF)) {
            return "a RIFF file other than WebP";
        }
        if (startsWith(head, ascii("%PDF"))) {
            return "PDF";
        }
        if (looksLikeText(head)) {
            return "text";
        }
        if (startsWith(head, ascii("BM"))) {
            return "BMP";
        }
        return null;
    }

    // ---- PNG: signature, IHDR first, then chunks by their length fields until IEND ----------

    private static Dimensions readPng(ByteWindow bytes, String name) throws IOException {
        long size = bytes.size();
        long pos = PNG_SIGNATURE.length;
        if (pos + 8 + 13 + 4 > size) {
            throw corrupt(name + " ends inside its PNG header: the file is cut off");
        }
        long firstLength = bytes.u32be(pos);
        String firstType = chunkType(bytes, pos + 4);
        if (!firstType.equals("IHDR") || firstLength != 13) {
            throw corrupt(name + " is a damaged PNG: it does not start with an IHDR header chunk");
        }
        long width = bytes.u32be(pos + 8);
        long height = bytes.u32be(pos + 12);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt(name + " is a damaged PNG: its header declares an impossible size of " + width + " x " + height);
        }
        boolean sawImageData = false;
        while (true) {
            if (pos + 12 > size) {
                throw corrupt(name + " ends before its IEND chunk: the file is cut off");
            }
            long length = bytes.u32be(pos);
            String type = chunkType(bytes, pos + 4);
            if (length > Integer.MAX_VALUE) {
                throw corrupt(name + " is a damaged PNG: chunk " + type + " at byte " + pos + " declares an impossible length");
            }
            long end = pos + 12 + length;
            if (end > size) {
                throw corrupt(String.format(Locale.ROOT,
                        "%s is cut off inside its %s chunk (it needs %,d more bytes than the file has)", name, type, end - size));
            }
            if (type.equals("IEND")) {
                break;
            }
            sawImageData |= type.equals("IDAT");
            pos = end;
        }
        if (!sawImageData) {
            throw corrupt(name + " is a damaged PNG: it has no image data (IDAT chunk)");
        }
        return new Dimensions((int) width, (int) height);
    }

    private static String chunkType(ByteWindow bytes, long pos) throws IOException {
        byte[] type = bytes.read(pos, 4);
        for (byte b : type) {
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
                return String.format(Locale.ROOT, "0x%02X%02X%02X%02X", type[0], type[1], type[2], type[3]);
            }
        }
        return new String(type, StandardCharsets.US_ASCII);
    }

    // ---- JPEG: marker segments up to the first scan, then EOI at the very end ----------------

    private static Dimensions readJpeg(ByteWindow bytes, String name) throws IOException {
        long size = bytes.size();
        long pos = 2;
        Dimensions frame = null;
        int frameMarker = 0;
        int orientation = 1;
        boolean exifSeen = false;
        while (true) {
            if (pos + 2 > size) {
                throw corrupt(name + " ends inside its JPEG header, before any image data: the file is cut off");
            }
            if (bytes.u8(pos) != 0xFF) {
                throw corrupt(String.format(Locale.ROOT,
                        "%s is a damaged JPEG: byte %,d should start a marker but does not", name, pos));
            }
            int marker = bytes.u8(pos + 1);
            if (marker == 0xFF) { // fill byte before a marker
                pos++;
                continue;
            }
            pos += 2;
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                continue; // standalone markers carry no length
            }
            if (marker == 0xD9 || marker == 0xD8) {
                throw corrupt(name + " is a damaged JPEG: it reaches a " + markerName(marker)
                        + " marker before any image data");
            }
            if (pos + 2 > size) {
                throw corrupt(name + " is cut off inside its " + markerName(marker) + " segment");
            }
            int length = bytes.u16be(pos);
            if (length < 2) {
                throw corrupt(name + " is a damaged JPEG: its " + markerName(marker) + " segment has an impossible length");
            }
            long end = pos + length;
            if (end > size) {
                throw corrupt(String.format(Locale.ROOT,
                        "%s is cut off inside its %s segment (it needs %,d more bytes than the file has)",
                        name, markerName(marker), end - size));
            }
            if (isStartOfFrame(marker) && frame == null) {
                if (length < 8) {
                    throw corrupt(name + " is a damaged JPEG: its frame header is too short");
                }
                frame = new Dimensions(bytes.u16be(pos + 5), bytes.u16be(pos + 3));
                frameMarker = marker;
            }
            if (marker == 0xE1 && !exifSeen && length >= 8 && Arrays.equals(bytes.read(pos + 2, 6), EXIF)) {
                exifSeen = true;
                orientation = exifOrientation(bytes, pos + 8, end);
            }
            if (marker == 0xDA) { // start of scan: entropy-coded data follows, headers are over
                pos = end;
                break;
            }
            pos = end;
        }
        if (frame == null) {
            throw corrupt(name + " is a damaged JPEG: its image data comes before any frame header (SOF)");
        }
        if (frame.height() == 0) {
            // Height 0 means "given later by a DNL marker": legal, but almost unused and not read by ImageIO.
            throw new JobFailure(ErrorCode.IMAGE_UNSUPPORTED, name + " is a JPEG whose height is only given after "
                    + "the image data (DNL marker), which Darkroom does not read");
        }
        if (frame.width() == 0) {
            throw corrupt(name + " is a damaged JPEG: its " + markerName(frameMarker) + " header declares a width of 0");
        }
        requireEndOfImage(bytes, pos, name);
        // orientations 5 to 8 turn the picture a quarter: it is shown (and sent on) the other way round
        return orientation >= 5 ? new Dimensions(frame.height(), frame.width()) : frame;
    }

    private static final byte[] EXIF = {'E', 'x', 'i', 'f', 0, 0};
    private static final int ORIENTATION_TAG = 0x0112;

    /**
     * The Orientation tag (1 to 8) of the first image directory of an Exif block (a TIFF structure
     * from {@code tiff} to {@code end}); 1 when absent or unreadable: decoders ignore a damaged Exif
     * block too, so it never makes the image itself damaged.
     */
    private static int exifOrientation(ByteWindow bytes, long tiff, long end) throws IOException {
        if (tiff + 8 > end) {
            return 1;
        }
        int order = bytes.u16be(tiff);
        boolean little = order == 0x4949; // "II"; "MM" is big-endian
        if (!little && order != 0x4D4D) {
            return 1;
        }
        long directory = tiff + (little ? bytes.u32le(tiff + 4) : bytes.u32be(tiff + 4));
        if (directory + 2 > end || directory < tiff + 8) {
            return 1;
        }
        int entries = little ? bytes.u16le(directory) : bytes.u16be(directory);
        for (int i = 0; i < entries; i++) {
            long entry = directory + 2 + 12L * i;
            if (entry + 12 > end) {
                return 1;
            }
            int tag = little ? bytes.u16le(entry) : bytes.u16be(entry);
            if (tag == ORIENTATION_TAG) {
                int value = little ? bytes.u16le(entry + 8) : bytes.u16be(entry + 8);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /** The last non-zero bytes must be FF D9; zero padding after it is common from some tools. */
    private static void requireEndOfImage(ByteWindow bytes, long dataStart, String name) throws IOException {
        long end = bytes.size();
        while (end > dataStart) {
            long blockStart = Math.max(dataStart, end - 4096);
            byte[] block = bytes.read(blockStart, (int) (end - blockStart));
            int i = block.length - 1;
            while (i >= 0 && block[i] == 0) {
                i--;
            }
            if (i >= 0) {
                long last = blockStart + i;
                if ((block[i] & 0xFF) == 0xD9 && last - 1 >= dataStart && bytes.u8(last - 1) == 0xFF) {
                    return;
                }
                break;
            }
            end = blockStart;
        }
        throw corrupt(name + " ends before its end-of-image marker: the file is cut off");
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static String markerName(int marker) {
        if (isStartOfFrame(marker)) {
            return "SOF" + (marker - 0xC0) + " frame header";
        }
        if (marker >= 0xE0 && marker <= 0xEF) {
            return "APP" + (marker - 0xE0);
        }
        return switch (marker) {
            case 0xC4 -> "DHT";
            case 0xCC -> "DAC";
            case 0xD8 -> "SOI";
            case 0xD9 -> "EOI";
            case 0xDA -> "SOS";
            case 0xDB -> "DQT";
            case 0xDD -> "DRI";
            case 0xFE -> "COM";
            default -> String.format(Locale.ROOT, "0xFF%02X", marker);
        };
    }

    // ---- WebP: RIFF size against the file, then chunks; size from VP8, VP8L or VP8X ----------

    private static Dimensions readWebp(ByteWindow bytes, String name) throws IOException {
        long size = bytes.size();
        long declaredEnd = 8 + bytes.u32le(4);
        // The file may carry one padding byte the RIFF size does not count.
        if (size < declaredEnd) {
            throw corrupt(String.format(Locale.ROOT,
                    "%s is cut off: its RIFF header promises %,d bytes but the file has %,d", name, declaredEnd, size));
        }
        if (size > declaredEnd + 1) {
            throw corrupt(String.format(Locale.ROOT,
                    "%s is a damaged WebP: its RIFF header promises %,d bytes but the file has %,d", name, declaredEnd, size));
        }
        Dimensions dimensions = null;
        boolean sawImageData = false;
        long pos = 12;
        while (pos < declaredEnd) {
            if (pos + 8 > declaredEnd) {
                throw corrupt(name + " is a damaged WebP: it ends inside a chunk header");
            }
            String type = new String(bytes.read(pos, 4), StandardCharsets.US_ASCII);
            long length = bytes.u32le(pos + 4);
            long data = pos + 8;
            if (data + length > declaredEnd) {
                throw corrupt(String.format(Locale.ROOT,
                        "%s is a damaged WebP: its %s chunk runs %,d bytes past the end its RIFF header declares",
                        name, type.trim(), data + length - declaredEnd));
            }
            if (pos == 12) {
                dimensions = firstChunkDimensions(bytes, type, data, length, name);
            }
            sawImageData |= type.equals("VP8 ") || type.equals("VP8L") || type.equals("ANMF");
            pos = data + length + (length & 1); // chunks are padded to an even length
        }
        if (dimensions == null || !sawImageData) {
            throw corrupt(name + " is a damaged WebP: it has no image data");
        }
        return dimensions;
    }

    private static Dimensions firstChunkDimensions(ByteWindow bytes, String type, long data, long length, String name)
            throws IOException {
        switch (type) {
            case "VP8 " -> {
                // 3-byte frame tag, then the key-frame start code 9D 01 2A and two 14-bit sizes.
                if (length < 10 || (bytes.u8(data) & 1) != 0
                        || bytes.u8(data + 3) != 0x9D || bytes.u8(data + 4) != 0x01 || bytes.u8(data + 5) != 0x2A) {
                    throw corrupt(name + " is a damaged WebP: its VP8 image header is not a valid key frame");
                }
                return validWebpSize(bytes.u16le(data + 6) & 0x3FFF, bytes.u16le(data + 8) & 0x3FFF, name);
            }
            case "VP8L" -> {
                // Signature byte 0x2F, then width-1 and height-1 as 14-bit fields.
                if (length < 5 || bytes.u8(data) != 0x2F) {
                    throw corrupt(name + " is a damaged WebP: its VP8L image header has no signature");
                }
                long bits = bytes.u32le(data + 1);
                return validWebpSize((int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1, name);
            }
            case "VP8X" -> {
                // Flags, 3 reserved bytes, then canvas width-1 and height-1 as 24-bit fields.
                if (length < 10) {
                    throw corrupt(name + " is a damaged WebP: its VP8X header is too short");
                }
                return validWebpSize(bytes.u24le(data + 4) + 1, bytes.u24le(data + 7) + 1, name);
            }
            default -> throw corrupt(name + " is a damaged WebP: it does not start with a VP8, VP8L or VP8X chunk");
        }
    }

    private static Dimensions validWebpSize(int width, int height, String name) {
        if (width == 0 || height == 0) {
            throw corrupt(name + " is a damaged WebP: its header declares a size of " + width + " x " + height);
        }
        return new Dimensions(width, height);
    }

    // ---- small pieces ------------------------------------------------------------------------

    private record Dimensions(int width, int height) {
    }

    private static JobFailure corrupt(String message) {
        return new JobFailure(ErrorCode.IMAGE_CORRUPT, message);
    }

    private static String extensionOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return regionMatches(bytes, 0, prefix);
    }

    private static boolean regionMatches(byte[] bytes, int offset, byte[] expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when all of {@code bytes} equal the start of {@code signature}. */
    private static boolean isPrefix(byte[] bytes, byte[] signature) {
        int n = Math.min(bytes.length, signature.length);
        for (int i = 0; i < n; i++) {
            if (bytes[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeText(byte[] head) {
        for (byte b : head) {
            int c = b & 0xFF;
            if (c < 0x09 || c > 0x0D && c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Random-access reads through one small buffer: nearby header fields come from memory, and a
     * read far away (past a large chunk of image data) refills the buffer at that position.
     */
    private static final class ByteWindow {
        private static final int CAPACITY = 16 * 1024;

        private final FileChannel channel;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
        private long start = -1;
        private int length;

        ByteWindow(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        long size() {
            return size;
        }

        /** Reads {@code n} bytes (at most the window's capacity) that the caller knows are in the file. */
        byte[] read(long pos, int n) throws IOException {
            if (n > CAPACITY) {
                throw new IllegalArgumentException("read of " + n + " bytes exceeds the window");
            }
            if (start < 0 || pos < start || pos + n > start + length) {
                fill(pos);
                if (n > length) {
                    // The file got shorter while we read it.
                    throw new EOFException("file ended at " + (start + length));
                }
            }
            byte[] out = new byte[n];
            buffer.get((int) (pos - start), out);
            return out;
        }

        private void fill(long pos) throws IOException {
            buffer.clear();
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, pos + buffer.position());
                if (read < 0) {
                    break;
                }
            }
            start = pos;
            length = buffer.position();
        }

        int u8(long pos) throws IOException {
            return read(pos, 1)[0] & 0xFF;
        }

        int u16be(long pos) throws IOException {
            byte[] b = read(pos, 2);
            return (b[0] & 0xFF) << 8 | b[1] & 0xFF;
        }

        int u16le(long pos) throws IOException {
            byte[] b = read(pos, 2);
            return (b[1] & 0xFF) << 8 | b[0] & 0xFF;
        }

        int u24le(long pos) throws IOException {
            byte[] b = read(pos, 3);
            return (b[2] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | b[0] & 0xFF;
        }

        long u32be(long pos) throws IOException {
            byte[] b = read(pos, 4);
            return (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
        }

        long u32le(long pos) throws IOException {
            byte[] b = read(pos, 4);
            return (b[3] & 0xFFL) << 24 | (b[2] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | b[0] & 0xFF;
        }
    }
}
