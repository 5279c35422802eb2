package io.darkroom.console;

import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.job.Reference;
import io.darkroom.ledger.JobLedger;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Small PNG copies of a job's references and results for the console, made the first time they are
 * asked for and kept under the data folder ({@code thumbnails/<job>/}), so a page view never reads
 * a full-size image again.
 */
public class Thumbnails {

    static final int SIZE = 240;

    private final Path folder;
    private final JobLedger ledger;
    private final ArchivedInputs inputs;

    public Thumbnails(Path folder, JobLedger ledger, ArchivedInputs inputs) {
        this.folder = folder;
        this.ledger = ledger;
        this.inputs = inputs;
    }

    /** The bytes of a thumbnail (see {@link #thumbnail}), or null when there is none. */
    public byte[] read(String jobId, String name) throws IOException {
        Path thumbnail = thumbnail(jobId, name);
        return thumbnail == null ? null : Files.readAllBytes(thumbnail);
    }

    /** The thumbnail file for {@code reference-N.png} or {@code result-N.png} of a job; null when there is no source image. */
    public Path thumbnail(String jobId, String name) throws IOException {
        if (!name.matches("(reference|result)-\\d{1,3}\\.png") || !jobId.matches("[A-Za-z0-9._-]{1,80}")) {
            return null;
        }
        Path thumbnail = folder.resolve(jobId).resolve(name);
        Path none = thumbnail.resolveSibling(name + ".none");
        if (Files.isRegularFile(thumbnail)) {
            return thumbnail;
        }
        if (Files.exists(none)) {
            return null;    // tried once: the source could not be read as an image
        }
        Job job = ledger.find(jobId);
        Path source = job == null ? null : source(job, name);
        if (source == null) {
            return null;
        }
        synchronized (this) {
            if (!Files.isRegularFile(thumbnail) && !write(source, thumbnail)) {
                Files.createDirectories(none.getParent());
                Files.write(none, new byte[0]);
                return null;
            }
        }
        return thumbnail;
    }

    private Path source(Job job, String name) {
        int index = Integer.parseInt(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
        if (name.startsWith("reference")) {
            if (index >= job.getReferences().size()) {
                return null;
            }
            Reference reference = job.getReferences().get(index);
            return inputs.locate(job, reference.getPath());
        }
        if (index >= job.getOutputs().size()) {
            return null;
        }
        JobOutput output = job.getOutputs().get(index);
        for (String destination : job.getDestinations()) {
            if (destination.startsWith("file:") && output.getFileName() != null) {
                Path file = Path.of(destination.substring("file:".length())).resolve(job.getId()).resolve(output.getFileName());
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
        }
        return null;
    }

    private static boolean write(Path source, Path thumbnail) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(source.toFile());
        } catch (IOException damaged) {
            return false;
        }
        if (image == null) {
            return false;   // WebP or damaged: the console shows the name instead
        }
        double scale = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        Files.createDirectories(thumbnail.getParent());
        Path temp = thumbnail.resolveSibling("." + thumbnail.getFileName() + ".tmp");
        ImageIO.write(small, "png", temp.toFile());
        Files.move(temp, thumbnail, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
