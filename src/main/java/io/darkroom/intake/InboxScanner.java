package io.darkroom.intake;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Reference;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds jobs in the inbox folder whose ticket and references are all present and stable, pairs
 * tickets with images by stem, applies folder defaults (also to bare images), and claims the files
 * of every job it hands out so a job is never started twice while it runs.
 */
public class InboxScanner {

    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);
    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff", "heic", "heif", "avif");

    private final Path inbox;
    private final TicketReader tickets;
    private final FileStability stability;
    private final JobClaims claims;
    private final Clock clock;
    private volatile long missingReferenceGraceMillis;
    private volatile boolean waiting;
    private final AtomicLong scans = new AtomicLong();
    private volatile int lastScanFound;

    public InboxScanner(Path inbox, TicketReader tickets, FileStability stability, JobClaims claims,
                        long missingReferenceGraceMillis, Clock clock) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.tickets = tickets;
        this.stability = stability;
        this.claims = claims;
        this.missingReferenceGraceMillis = missingReferenceGraceMillis;
        this.clock = clock;
    }

    public static boolean isImageName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String imageStem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** In a run that only processes what is there now, references that are missing will not come. */
    public void setMissingReferenceGraceMillis(long graceMillis) {
        this.missingReferenceGraceMillis = graceMillis;
    }

    /** True when the last scan saw nothing still arriving: no unstable ticket, no ticket waiting for images. */
    public boolean isSettled() {
        return !waiting;
    }

    public long scanCount() {
        return scans.get();
    }

    public int lastScanFound() {
        return lastScanFound;
    }

    public synchronized List<Job> scan() throws IOException {
        if (!Files.isDirectory(inbox)) {
            Files.createDirectories(inbox);
        }
        Map<Path, List<Path>> folders = new TreeMap<>();
        Set<Path> present = new HashSet<>();
        // files move away while we look (jobs finishing, users tidying up): skip what vanished
        Files.walkFileTree(inbox, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.equals(inbox) || !isHidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !isHidden(file)) {
                    present.add(file);
                    folders.computeIfAbsent(file.getParent(), k -> new ArrayList<>()).add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        stability.retainOnly(present);
        boolean stillArriving = false;
        List<Job> ready = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> folder : folders.entrySet()) {
            stillArriving |= scanFolder(folder.getKey(), folder.getValue(), ready);
        }
        waiting = stillArriving;
        ready.sort(Comparator.comparing(Job::getReceivedAt));
        lastScanFound = ready.size();
        scans.incrementAndGet();
        return ready;
    }

    private boolean isHidden(Path path) {
        for (Path part : inbox.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Adds the ready jobs of one folder; answers whether anything there is still arriving. */
    private boolean scanFolder(Path dir, List<Path> files, List<Job> ready) {
        files.sort(Comparator.comparing(Path::toString));
        boolean stillArriving = false;
        FolderDefaults defaults = FolderDefaults.find(dir, inbox, tickets);
        Map<String, List<Path>> imagesByStem = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (isImageName(name)) {
                imagesByStem.computeIfAbsent(imageStem(name), k -> new ArrayList<>()).add(file);
            }
        }
        Set<Path> pairedImages = new HashSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!TicketReader.isTicketName(name)) {
                continue;
            }
            List<Path> stemImages = imagesByStem.getOrDefault(TicketReader.stemOf(name), List.of());
            if (claims.isClaimed(file)) {
                pairedImages.addAll(stemImages);
                continue;
            }
            if (!stability.isStable(file)) {
                stillArriving = true;
                pairedImages.addAll(stemImages);
                continue;
            }
            TicketOutcome outcome = ticketJob(dir, file, stemImages, defaults);
            pairedImages.addAll(outcome.images);
            if (outcome.job != null) {
                ready.add(claim(outcome.job));
            } else {
                stillArriving = true;
            }
        }
        if (defaults.exists()) {
            for (List<Path> images : imagesByStem.values()) {
                for (Path image : images) {
                    if (pairedImages.contains(image) || claims.isClaimed(image)) {
                        continue;
                    }
                    if (!stability.isStable(image)) {
                        stillArriving = true;
                        continue;
                    }
                    ready.add(claim(bareImageJob(dir, image, defaults)));
                }
            }
        }
        return stillArriving;
    }

    private record TicketOutcome(Job job, List<Path> images) {
    }

    private TicketOutcome ticketJob(Path dir, Path ticketFile, List<Path> stemImages, FolderDefaults defaults) {
        String ticketName = ticketFile.getFileName().toString();
        Job job = newJob(dir, TicketReader.stemOf(ticketName), ticketFile);
        job.setTicketName(ticketName);
        job.getInputs().add(ticketFile.toString());
        Ticket ticket;
        try {
            ticket = tickets.read(ticketFile).withDefaults(defaults.ticket());
        } catch (JobFailure failure) {
            stemImages.forEach(image -> job.getInputs().add(image.toString()));
            return new TicketOutcome(fail(job, failure), stemImages);
        }
        job.setTicket(ticket);
        if (defaults.failure() != null) {
            return new TicketOutcome(fail(job, defaults.failure()), stemImages);
        }
        List<Path> references = new ArrayList<>();
        if (ticket.getReferences() == null) {
            references.addAll(stemImages);
        } else {
            for (String name : ticket.getReferences()) {
                Path resolved = dir.resolve(name).normalize();
                if (Path.of(name).isAbsolute() || !resolved.startsWith(dir)) {
                    stemImages.forEach(image -> job.getInputs().add(image.toString()));
                    return new TicketOutcome(fail(job, new JobFailure(ErrorCode.REFERENCE_OUTSIDE_FOLDER,
                            "Ticket " + ticketName + " names reference '" + name + "', which is outside the ticket's folder.")), stemImages);
                }
                references.add(resolved);
            }
        }
        List<String> missing = new ArrayList<>();
        boolean unstable = false;
        for (Path reference : references) {
            if (!Files.isRegularFile(reference)) {
                missing.add(dir.relativize(reference).toString());
            } else if (!stability.isStable(reference)) {
                unstable = true;
            }
        }
        if (!missing.isEmpty()) {
            long waited = clock.millis() - stability.firstSeen(ticketFile);
            if (waited < missingReferenceGraceMillis) {
                return new TicketOutcome(null, references);
            }
            references.stream().filter(Files::isRegularFile).forEach(r -> job.getInputs().add(r.toString()));
            return new TicketOutcome(fail(job, new JobFailure(ErrorCode.REFERENCE_MISSING,
                    "Ticket " + ticketName + " names " + String.join(", ", missing) + ", which did not arrive within "
                            + (missingReferenceGraceMillis / 1000) + " s.")), references);
        }
        if (unstable) {
            return new TicketOutcome(null, references);
        }
        for (Path reference : references) {
            job.getInputs().add(reference.toString());
            job.getReferences().add(new Reference(dir.relativize(reference).toString(), reference.toString()));
        }
        return new TicketOutcome(job, references);
    }

    private Job bareImageJob(Path dir, Path image, FolderDefaults defaults) {
        Job job = newJob(dir, imageStem(image.getFileName().toString()), image);
        job.getInputs().add(image.toString());
        job.getReferences().add(new Reference(image.getFileName().toString(), image.toString()));
        Ticket ticket = new Ticket().withDefaults(defaults.ticket());
        ticket.setReferences(List.of(image.getFileName().toString()));
        job.setTicket(ticket);
        if (defaults.failure() != null) {
            fail(job, defaults.failure());
        }
        return job;
    }

    private Job newJob(Path dir, String stem, Path trigger) {
        Job job = new Job();
        job.setId(JobIds.next(stem));
        job.setSource("folder");
        job.setSourceFolder(inbox.relativize(dir).toString().replace('\\', '/'));
        job.setReceivedAt(Instant.ofEpochMilli(stability.firstSeen(trigger)).toString());
        job.getOrigin().put("inbox", inbox.toString());
        return job;
    }

    private static Job fail(Job job, JobFailure failure) {
        job.setIntakeError(failure.code());
        job.setIntakeErrorMessage(failure.getMessage());
        return job;
    }

    private Job claim(Job job) {
        job.getInputs().forEach(input -> claims.claim(Path.of(input)));
        LOG.info("Job {} found in inbox{}: {}", job.getId(),
                job.getSourceFolder().isEmpty() ? "" : "/" + job.getSourceFolder(), job.getInputs().size() + " file(s)");
        return job;
    }

    /** Job ids: the ticket's stem (for people) plus a random part (for uniqueness). */
    static final class JobIds {
        private JobIds() {
        }

        static String next(String stem) {
            String safe = stem.replaceAll("[^A-Za-z0-9._-]", "_");
            if (safe.length() > 40) {
                safe = safe.substring(0, 40);
            }
            return safe + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
