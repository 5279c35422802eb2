package io.darkroom.provider.preview;

import io.darkroom.image.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws the stand-in picture for a model call that was not made: the reference image (or a
 * neutral canvas), a large "PREVIEW" mark and a caption saying what would have run and what it
 * would have cost. Runs headless and needs no installed fonts to produce an image; without fonts
 * the text is left out but the mark's band and the caption band are still drawn.
 */
public final class PreviewRenderer {

    static {
        // Java2D must not look for a display on a server; respect an explicit choice by the application.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PreviewRenderer.class);

    private static final int MAX_SIDE = 1024;
    // Small references are enlarged (and narrow ones padded) so the caption stays legible.
    private static final int MIN_LONG_SIDE = 512;
    private static final int MIN_SHORT_SIDE = 384;
    private static final int PROMPT_LIMIT = 120;
    private static final int MAX_PROMPT_LINES = 3;
    private static final String TITLE = "Preview \u2014 no model was called";
    private static final Color BACKGROUND = new Color(0x4A4E55);
    private static final Color CAPTION_BAND = new Color(0, 0, 0, 190);
    private static final Color TITLE_COLOR = new Color(0xFFC857);

    public PreviewImage render(Path referenceOrNull, PreviewCaption caption, ImageFormat wanted) {
        BufferedImage reference = referenceOrNull == null ? null : decode(referenceOrNull);
        BufferedImage canvas;
        String note = null;
        if (reference != null) {
            canvas = fitted(reference);
        } else {
            canvas = neutralCanvas();
            note = referenceOrNull == null
                    ? "Text-only model: no reference image"
                    : "Reference " + referenceOrNull.getFileName() + " cannot be shown in a preview";
        }
        int width = canvas.getWidth();
        int height = canvas.getHeight();

        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);

            Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(12, Math.min(22, Math.round(width / 40f))));
            List<String> lines = captionLines(g, captionFont, caption, width);
            int lineHeight = Math.round(captionFont.getSize2D() * 1.45f);
            int padding = Math.round(captionFont.getSize2D() * 0.8f);
            // Without fonts the lines are unknown; keep the band at the size four lines would need.
            int bandHeight = 2 * padding + lineHeight * (lines.isEmpty() ? 4 : lines.size());
            int markAreaHeight = Math.max(height / 2, height - bandHeight);

            if (note != null) {
                String noteText = note;
                drawTextOrSkip("note", () -> drawNote(g, noteText, width, markAreaHeight));
            }
            drawMark(g, width, markAreaHeight);
            g.setColor(CAPTION_BAND);
            g.fillRect(0, height - bandHeight, width, bandHeight);
            drawTextOrSkip("caption", () -> drawCaption(g, captionFont, lines, height - bandHeight + padding, padding, lineHeight));
        } finally {
            g.dispose();
        }
        // ImageIO has no WebP writer; PNG keeps the preview lossless and the format is reported honestly.
        ImageFormat written = wanted == ImageFormat.JPEG ? ImageFormat.JPEG : ImageFormat.PNG;
        return new PreviewImage(encode(canvas, written), written);
    }

    // ---- reference and canvas ------------------------------------------------------------------

    /** Decodes with subsampling so a huge reference never becomes a huge bitmap; null if ImageIO cannot read it. */
    private static BufferedImage decode(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int longSide = Math.max(reader.getWidth(0), reader.getHeight(0));
                int step = Math.max(1, longSide / MAX_SIDE);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Readers throw unchecked exceptions on some damaged files; either way the canvas stands in.
            LOG.debug("Reference {} could not be decoded for a preview", file.getFileName(), e);
            return null;
        }
    }

    private static BufferedImage fitted(BufferedImage reference) {
        int longSide = Math.max(reference.getWidth(), reference.getHeight());
        double scale = Math.max(MIN_LONG_SIDE, Math.min(MAX_SIDE, longSide)) / (double) longSide;
        int imageWidth = Math.max(1, (int) Math.round(reference.getWidth() * scale));
        int imageHeight = Math.max(1, (int) Math.round(reference.getHeight() * scale));
        int width = Math.max(imageWidth, MIN_SHORT_SIDE);
        int height = Math.max(imageHeight, MIN_SHORT_SIDE);

        // An RGB canvas has no alpha, so JPEG output needs no conversion and transparency shows the background.
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(reference, (width - imageWidth) / 2, (height - imageHeight) / 2, imageWidth, imageHeight, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static BufferedImage neutralCanvas() {
        BufferedImage canvas = new BufferedImage(MAX_SIDE, MAX_SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(0x767B84), MAX_SIDE, MAX_SIDE, new Color(0x2C2F34)));
            g.fillRect(0, 0, MAX_SIDE, MAX_SIDE);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    // ---- drawing -------------------------------------------------------------------------------

    /** A diagonal band with "PREVIEW" along it; the band needs no fonts, so the mark survives without them. */
    private static void drawMark(Graphics2D g, int width, int height) {
        double diagonal = Math.hypot(width, height);
        double angle = -Math.atan2(height, width);
        double thickness = Math.max(48, diagonal * 0.14);
        AffineTransform saved = g.getTransform();
        Composite savedComposite = g.getComposite();
        try {
            g.translate(width / 2.0, height / 2.0);
            g.rotate(angle);
            g.setColor(new Color(0, 0, 0, 80));
            g.fill(new Rectangle2D.Double(-diagonal / 2, -thickness / 2, diagonal, thickness));
            drawTextOrSkip("mark text", () -> {
                Font probe = new Font(Font.SANS_SERIF, Font.BOLD, 100);
                FontRenderContext context = g.getFontRenderContext();
                double probeWidth = new TextLayout("PREVIEW", probe, context).getBounds().getWidth();
                float size = (float) Math.min(100 * diagonal * 0.62 / probeWidth, thickness * 1.1);
                TextLayout layout = new TextLayout("PREVIEW", probe.deriveFont(size), context);
                Rectangle2D bounds = layout.getBounds();
                Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(
                        -bounds.getCenterX(), -bounds.getCenterY()));
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.7f));
                g.setColor(Color.WHITE);
                g.fill(outline);
                g.setColor(new Color(0, 0, 0, 160));
                g.setStroke(new BasicStroke(Math.max(1.5f, size / 40f)));
                g.draw(outline);
            });
        } finally {
            g.setComposite(savedComposite);
            g.setTransform(saved);
        }
    }

    private static void drawNote(Graphics2D g, String note, int width, int height) {
        Font font = new Font(Font.SANS_SERIF, Font.ITALIC, Math.max(14, width / 40));
        FontMetrics metrics = g.getFontMetrics(font);
        String text = fitToWidth(note, metrics, width - 40);
        g.setFont(font);
        g.setColor(new Color(255, 255, 255, 210));
        // Top left stays clear of the diagonal mark, which runs from bottom left to top right.
        g.drawString(text, 24, Math.max(metrics.getAscent() + 16, height / 10));
    }

    private static void drawCaption(Graphics2D g, Font font, List<String> lines, int top, int left, int lineHeight) {
        FontMetrics metrics = g.getFontMetrics(font);
        int baseline = top + metrics.getAscent();
        for (int i = 0; i < lines.size(); i++) {
            boolean title = i == 0;
            g.setFont(title ? font.deriveFont(Font.BOLD) : font);
            g.setColor(title ? TITLE_COLOR : Color.WHITE);
            g.drawString(lines.get(i), left, baseline + i * lineHeight);
        }
    }

    /** The caption's lines fitted to the width; empty when fonts cannot be measured. */
    private static List<String> captionLines(Graphics2D g, Font font, PreviewCaption caption, int width) {
        List<String> lines = new ArrayList<>();
        drawTextOrSkip("caption layout", () -> {
            FontMetrics metrics = g.getFontMetrics(font);
            int available = width - 2 * Math.round(font.getSize2D() * 0.8f);
            lines.add(fitToWidth(TITLE, g.getFontMetrics(font.deriveFont(Font.BOLD)), available));
            lines.add(fitToWidth("Would run: " + caption.getModelId(), metrics, available));
            lines.addAll(wrap("\u201C" + shortenPrompt(caption.getPrompt()) + "\u201D", metrics, available, MAX_PROMPT_LINES));
            lines.add(fitToWidth(String.format(Locale.ROOT, "est. $%.3f  \u00B7  variant %d of %d",
                    caption.getEstimatedCostUsd(), caption.getVariantIndex(), caption.getVariantCount()), metrics, available));
        });
        return lines;
    }

    /** Text rendering fails on a JDK without any fonts; the picture is still worth producing then. */
    private static void drawTextOrSkip(String what, Runnable drawing) {
        try {
            drawing.run();
        } catch (RuntimeException | InternalError | LinkageError e) {
            LOG.warn("Preview drawn without its {}: text rendering failed: {}", what, e.toString());
        }
    }

    // ---- text fitting --------------------------------------------------------------------------

    /** Collapses whitespace and cuts the prompt to about {@value #PROMPT_LIMIT} characters, at a word if one is near. */
    static String shortenPrompt(String prompt) {
        String flat = prompt == null ? "" : prompt.strip().replaceAll("\\s+", " ");
        if (flat.isEmpty()) {
            return "(no prompt)";
        }
        if (flat.length() <= PROMPT_LIMIT) {
            return flat;
        }
        String cut = flat.substring(0, PROMPT_LIMIT);
        int space = cut.lastIndexOf(' ');
        if (space >= PROMPT_LIMIT * 3 / 4) {
            cut = cut.substring(0, space);
        } else if (Character.isHighSurrogate(cut.charAt(cut.length() - 1))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut.stripTrailing() + "\u2026";
    }

    private static List<String> wrap(String text, FontMetrics metrics, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= width || line.length() == 0) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        lines.add(line.toString());
        if (lines.size() > maxLines) {
            List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
            kept.set(maxLines - 1, fitToWidth(kept.get(maxLines - 1) + "\u2026", metrics, width));
            lines = kept;
        }
        lines.replaceAll(each -> fitToWidth(each, metrics, width));
        return lines;
    }

    private static String fitToWidth(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String base = text.endsWith("\u2026") ? text.substring(0, text.length() - 1) : text;
        int end = base.length();
        while (end > 0 && metrics.stringWidth(base.substring(0, end) + "\u2026") > width) {
            end--;
        }
        return base.substring(0, end).stripTrailing() + "\u2026";
    }

    // ---- encoding ------------------------------------------------------------------------------

    private static byte[] encode(BufferedImage image, ImageFormat format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format == ImageFormat.JPEG ? "jpeg" : "png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("This Java runtime has no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // An in-memory stream: no temporary files and no change to ImageIO's global cache setting.
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding the preview as " + format + " failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
