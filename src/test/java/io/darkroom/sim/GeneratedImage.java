package io.darkroom.sim;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;

/**
 * Small real images for simulated outputs, so a client's decoder, content sniffing and file
 * writing run on genuine PNG/JPEG bytes. The colour is derived from a seed (a job id), which makes
 * outputs of different jobs distinguishable and the same job's output stable.
 */
final class GeneratedImage {

    /**
     * A 1x1 lossless WebP (the widely used feature-detection sample): the JDK cannot encode WebP,
     * and a client only needs valid WebP bytes to store or sniff.
     */
    private static final byte[] WEBP_1X1 =
            Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    private GeneratedImage() {
    }

    /** @param format png, jpeg (or jpg) or webp */
    static byte[] encode(String format, String seed, int width, int height) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("webp")) {
            return WEBP_1X1.clone();
        }
        String writerName = f.equals("jpg") || f.equals("jpeg") ? "jpeg" : "png";
        return write(writerName, paint(seed, width, height));
    }

    static String contentType(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> "image/jpeg";
            case "webp" -> "image/webp";
            default -> "image/png";
        };
    }

    private static BufferedImage paint(String seed, int width, int height) {
        int rgb = seed.hashCode() & 0xFFFFFF;
        int stripe = ~rgb & 0xFFFFFF;
        // TYPE_INT_RGB: JPEG cannot carry alpha. setRGB avoids Graphics2D, which would load AWT.
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, Math.abs(x - y) < 3 ? stripe : rgb);
            }
        }
        return image;
    }

    private static byte[] write(String format, BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // A memory-cached stream avoids ImageIO's temp-file cache without touching its global setting.
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(new IIOImage(image, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
