package io.darkroom.provider.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.darkroom.image.ImageFormat;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewRendererTest {

    private static final PreviewCaption CAPTION = new PreviewCaption("fal-ai/flux-pro/kontext",
            "Put the coffee cup on a marble counter in soft morning light, with steam rising and a croissant beside it, "
                    + "photographed from slightly above for a cafe menu",
            0.053, 2, 4);

    private final PreviewRenderer renderer = new PreviewRenderer();

    @TempDir
    Path dir;

    @Test
    void previewOfAReferenceKeepsItsSizeAndDecodes() throws IOException {
        PreviewImage preview = renderer.render(sample("coffee.png"), CAPTION, ImageFormat.PNG);

        BufferedImage image = decode(preview);
        assertEquals(ImageFormat.PNG, preview.getFormat());
        assertEquals(600, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    @Test
    void captionBandAndMarkVisiblyChangeTheReference() throws IOException {
        BufferedImage reference = ImageIO.read(sample("coffee.png").toFile());

        BufferedImage preview = decode(renderer.render(sample("coffee.png"), CAPTION, ImageFormat.PNG));

        int height = reference.getHeight();
        assertTrue(meanDifference(reference, preview, height - 40, height) > 40, "caption band at the bottom");
        assertTrue(meanDifference(reference, preview, height / 2 - 20, height / 2 + 20) > 10, "mark across the middle");
    }

    @Test
    void largeReferenceIsScaledSoItsLongSideIs1024() throws IOException {
        Path large = dir.resolve("large.png");
        ImageIO.write(gradient(3000, 1500), "png", large.toFile());

        BufferedImage image = decode(renderer.render(large, CAPTION, ImageFormat.PNG));

        assertEquals(1024, image.getWidth());
        assertEquals(512, image.getHeight());
    }

    @Test
    void textOnlyModelGetsA1024SquareCanvas() throws IOException {
        BufferedImage image = decode(renderer.render(null, CAPTION, ImageFormat.PNG));

        assertEquals(1024, image.getWidth());
        assertEquals(1024, image.getHeight());
    }

    @Test
    void referenceImageIoCannotDecodeFallsBackToTheCanvas() throws IOException {
        Path webp = Files.write(dir.resolve("reference.webp"), losslessWebpHeader());

        BufferedImage image = decode(renderer.render(webp, CAPTION, ImageFormat.PNG));

        assertEquals(1024, image.getWidth());
        assertEquals(1024, image.getHeight());
    }

    @Test
    void webpRequestIsWrittenAndReportedAsPng() {
        PreviewImage preview = renderer.render(sample("chelsea.png"), CAPTION, ImageFormat.WEBP);

        assertEquals(ImageFormat.PNG, preview.getFormat());
        byte[] bytes = preview.getBytes();
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void jpegRequestGivesJpegBytesWithoutAlpha() throws IOException {
        PreviewImage preview = renderer.render(sample("rocket.jpg"), CAPTION, ImageFormat.JPEG);

        assertEquals(ImageFormat.JPEG, preview.getFormat());
        byte[] bytes = preview.getBytes();
        assertEquals((byte) 0xFF, bytes[0]);
        assertEquals((byte) 0xD8, bytes[1]);
        assertEquals((byte) 0xFF, bytes[2]);
        BufferedImage image = decode(preview);
        assertFalse(image.getColorModel().hasAlpha());
        assertEquals(640, Math.max(image.getWidth(), image.getHeight()));
    }

    @Test
    void longPromptsAreShortenedWithAnEllipsis() {
        String shortened = PreviewRenderer.shortenPrompt(CAPTION.getPrompt());

        assertTrue(shortened.length() <= 121, shortened);
        assertTrue(shortened.endsWith("\u2026"), shortened);
        assertEquals("a   short\nprompt".replaceAll("\\s+", " "), PreviewRenderer.shortenPrompt("a   short\nprompt"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static BufferedImage decode(PreviewImage preview) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(preview.getBytes()));
        assertNotNull(image, "the preview decodes with ImageIO");
        return image;
    }

    /** Mean absolute channel difference over the rows [fromRow, toRow). */
    private static double meanDifference(BufferedImage a, BufferedImage b, int fromRow, int toRow) {
        long total = 0;
        long count = 0;
        for (int y = fromRow; y < toRow; y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                Color ca = new Color(a.getRGB(x, y));
                Color cb = new Color(b.getRGB(x, y));
                total += Math.abs(ca.getRed() - cb.getRed()) + Math.abs(ca.getGreen() - cb.getGreen())
                        + Math.abs(ca.getBlue() - cb.getBlue());
                count += 3;
            }
        }
        return total / (double) count;
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static byte[] losslessWebpHeader() {
        ByteBuffer riff = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(24).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        riff.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(12).put((byte) 0x2f).putInt(99 | 99 << 14);
        return riff.array();
    }

    private static Path sample(String name) {
        try {
            return Path.of(PreviewRendererTest.class.getResource("/samples/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
