package io.darkroom.intake;

import io.darkroom.job.Job;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds jobs in the inbox folder whose ticket and references are all present and stable (the rules
 * are in {@link TicketPairing}), and claims the files of every job it hands out so a job is never
 * started twice while it runs.
 */
public class InboxScanner {

    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);

    private final Path inbox;
    private final TicketReader tickets;
    private final FileStability stability;
    private final JobClaims claims;
    private final TicketPairing pairing;
    private volatile boolean waiting;
    private final AtomicLong scans = new AtomicLong();
    private volatile int lastScanFound;

    public InboxScanner(Path inbox, TicketReader tickets, FileStability stability, JobClaims claims,
                        long missingReferenceGraceMillis, Clock clock) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.tickets = tickets;
        this.stability = stability;
        this.claims = claims;
        this.pairing = new TicketPairing(missingReferenceGraceMillis, clock);
    }

    public static boolean isImageName(String fileName) {
        return TicketPairing.isImageName(fileName);
    }

    static String imageStem(String fileName) {
        return TicketPairing.imageStem(fileName);
    }

    /** In a run that only processes what is there now, references that are missing will not come. */
    public void setMissingReferenceGraceMillis(long graceMillis) {
        pairing.setMissingReferenceGraceMillis(graceMillis);
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
        TicketPairing.Outcome outcome = pairing.pair(new DiskFolder(dir, files));
        for (TicketPairing.Found found : outcome.ready()) {
            ready.add(claim(job(dir, found)));
        }
        return outcome.stillArriving();
    }

    /** A folder of the inbox as the pairing rules see it. */
    private final class DiskFolder implements TicketPairing.Folder {
        private final Path dir;
        private final List<Path> files;
        private FolderDefaults defaults;

        DiskFolder(Path dir, List<Path> files) {
            this.dir = dir;
            this.files = files;
        }

        @Override
        public List<String> names() {
            return files.stream().map(f -> f.getFileName().toString()).toList();
        }

        @Override
        public boolean exists(String name) {
            return Files.isRegularFile(dir.resolve(name));
        }

        @Override
        public boolean isStable(String name) {
            return stability.isStable(dir.resolve(name));
        }

        @Override
        public boolean isClaimed(String name) {
            return claims.isClaimed(dir.resolve(name));
        }

        @Override
        public long firstSeen(String name) {
            return stability.firstSeen(dir.resolve(name));
        }

        @Override
        public Ticket readTicket(String name) {
            return tickets.read(dir.resolve(name));
        }

        @Override
        public FolderDefaults defaults() {
            if (defaults == null) {
                defaults = FolderDefaults.find(dir, inbox, tickets);
            }
            return defaults;
        }
    }

    private Job job(Path dir, TicketPairing.Found found) {
        String stem = found.ticketName() != null ? TicketReader.stemOf(found.ticketName()) : imageStem(found.trigger());
        Job job = NewJob.found("folder", stem, Instant.ofEpochMilli(stability.firstSeen(dir.resolve(found.trigger()))));
        job.setSourceFolder(inbox.relativize(dir).toString().replace('\\', '/'));
        job.getOrigin().put("inbox", inbox.toString());
        for (String input : found.inputs()) {
            job.getInputs().add(dir.resolve(input).toString());
        }
        NewJob.takePairing(job, found, reference -> dir.resolve(reference).toString());
        return job;
    }

    private Job claim(Job job) {
        job.getInputs().forEach(input -> claims.claim(Path.of(input)));
        LOG.info("Job {} found in inbox{}: {}", job.getId(),
                job.getSourceFolder().isEmpty() ? "" : "/" + job.getSourceFolder(), job.getInputs().size() + " file(s)");
        return job;
    }
}
