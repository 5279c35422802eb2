package io.darkroom.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Writes a valid RGB PNG of any size quickly and in constant memory: the pixel rows go into one
 * IDAT chunk as stored (uncompressed) deflate blocks, so the file is about width x height x 3 bytes.
 */
public final class StoredPng {

    private static final int MAX_BLOCK = 65_535;

    private StoredPng() {
    }

    /** The file size {@link #write} will produce. */
    public static long sizeOf(int width, int height) {
        long raw = (long) height * (1 + 3L * width);
        long blocks = (raw + MAX_BLOCK - 1) / MAX_BLOCK;
        long zlib = 2 + blocks * 5 + raw + 4;
        return 8 + (12 + 13) + (12 + zlib) + 12;
    }

    public static Path write(Path file, int width, int height) throws IOException {
        long raw = (long) height * (1 + 3L * width);
        long blocks = (raw + MAX_BLOCK - 1) / MAX_BLOCK;
        long zlibLength = 2 + blocks * 5 + raw + 4;
        if (zlibLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large for one IDAT chunk");
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            byte[] header = new byte[13];
            putInt(header, 0, width);
            putInt(header, 4, height);
            header[8] = 8;  // bit depth
            header[9] = 2;  // truecolour RGB
            chunk(out, "IHDR", header);

            CRC32 crc = new CRC32();
            byte[] type = "IDAT".getBytes(StandardCharsets.US_ASCII);
            writeInt(out, (int) zlibLength);
            out.write(type);
            crc.update(type);
            Adler32 adler = new Adler32();
            byte[] zlibHeader = {0x78, 0x01};
            out.write(zlibHeader);
            crc.update(zlibHeader);

            byte[] block = new byte[MAX_BLOCK];
            int filled = 0;
            long written = 0;
            byte[] row = new byte[1 + 3 * width];
            for (int y = 0; y < height; y++) {
                row[0] = 0;  // filter: none
                for (int x = 0; x < width; x++) {
                    row[1 + 3 * x] = (byte) (x * 255 / width);
                    row[2 + 3 * x] = (byte) (y * 255 / height);
                    row[3 + 3 * x] = (byte) 128;
                }
                adler.update(row);
                int offset = 0;
                while (offset < row.length) {
                    int n = Math.min(row.length - offset, MAX_BLOCK - filled);
                    System.arraycopy(row, offset, block, filled, n);
                    filled += n;
                    offset += n;
                    if (filled == MAX_BLOCK) {
                        written += filled;
                        storedBlock(out, crc, block, filled, written == raw);
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                written += filled;
                storedBlock(out, crc, block, filled, true);
            }
            byte[] trailer = new byte[4];
            putInt(trailer, 0, (int) adler.getValue());
            out.write(trailer);
            crc.update(trailer);
            writeInt(out, (int) crc.getValue());

            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    private static void storedBlock(OutputStream out, CRC32 crc, byte[] data, int length, boolean last) throws IOException {
        byte[] head = {(byte) (last ? 1 : 0), (byte) length, (byte) (length >>> 8), (byte) ~length, (byte) (~length >>> 8)};
        out.write(head);
        crc.update(head);
        out.write(data, 0, length);
        crc.update(data, 0, length);
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, data.length);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        byte[] b = new byte[4];
        putInt(b, 0, value);
        out.write(b);
    }

    private static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }
}
