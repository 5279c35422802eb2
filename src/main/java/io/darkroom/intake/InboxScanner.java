package io.darkroom.intake;

import io.darkroom.job.Job;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    private final Set<Path> irregular = new HashSet<>();
    private UnreadableNames badNames = UnreadableNames.NONE;
    /** Cluster mode: the ledger decides which node takes each ticket of the shared inbox (null: this node alone reads it). */
    private io.darkroom.ledger.ClusterLedger cluster;
    private Set<String> claimedInCluster = Set.of();
    /** Cluster mode: how many more jobs this node takes now; the rest of the inbox is left to the other nodes. */
    private java.util.function.IntSupplier roomForJobs = () -> Integer.MAX_VALUE;
    private int room;

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

    /** Where files whose names are not valid UTF-8 are set aside. */
    public void setUnreadableNames(UnreadableNames badNames) {
        this.badNames = badNames;
    }

    /** Cluster mode: several nodes read this inbox; a ticket becomes a job on the node whose claim in the ledger wins. */
    public void setCluster(io.darkroom.ledger.ClusterLedger cluster, java.util.function.IntSupplier roomForJobs) {
        this.cluster = cluster;
        this.roomForJobs = roomForJobs;
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
        irregular.clear();
        // files move away while we look (jobs finishing, users tidying up): skip what vanished
        Files.walkFileTree(inbox, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (dir.equals(inbox)) {
                    return FileVisitResult.CONTINUE;
                }
                if (isHidden(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (badNames.isUnreadable(dir)) {
                    badNames.quarantine(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                // a folder named like an image is listed too, so a ticket of that stem does not run without it
                if (isImageName(dir.getFileName().toString())) {
                    irregular.add(dir);
                    folders.computeIfAbsent(dir.getParent(), k -> new ArrayList<>()).add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (isHidden(file)) {
                    return FileVisitResult.CONTINUE;
                }
                if (badNames.isUnreadable(file)) {
                    // a name that is not valid UTF-8 cannot be paired or read back by name: set it aside at once
                    badNames.quarantine(file);
                    return FileVisitResult.CONTINUE;
                }
                if (attributes.isRegularFile()) {
                    present.add(file);
                } else {
                    // links, pipes, sockets: never read, but seen, so the pairing can name them in an error
                    irregular.add(file);
                }
                folders.computeIfAbsent(file.getParent(), k -> new ArrayList<>()).add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        stability.retainOnly(present);
        claimedInCluster = cluster == null ? Set.of() : cluster.claimedInputs();
        room = roomForJobs.getAsInt();
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
            if (cluster == null) {
                ready.add(claim(job(dir, found)));
                continue;
            }
            String key = "inbox:" + inbox.relativize(dir.resolve(found.trigger())).toString().replace('\\', '/');
            if (claimedInCluster.contains(key) || room <= 0) {
                continue;
            }
            Job job = job(dir, found);
            if (!cluster.claimInput(key, job.getId())) {
                continue;
            }
            // the job that held this ticket may have ended (and moved it away) between the listing and the claim
            if (!job.getInputs().stream().allMatch(input -> Files.exists(Path.of(input), LinkOption.NOFOLLOW_LINKS))) {
                cluster.releaseInputs(job.getId());
                continue;
            }
            room--;
            ready.add(claim(job));
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

        private List<String> names;

        @Override
        public List<String> names() {
            if (names == null) {
                names = files.stream().map(f -> f.getFileName().toString()).toList();
            }
            return names;
        }

        @Override
        public boolean exists(String name) {
            return Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public boolean isRegular(String name) {
            return !irregular.contains(dir.resolve(name));
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
        // so the archiver still finds an input that was renamed while the job ran
        job.getInputs().forEach(input -> {
            String identity = claims.identityOf(Path.of(input));
            if (identity != null) {
                job.getInputIdentities().put(input, identity);
            }
        });
        LOG.info("Job {} found in inbox{}: {}", job.getId(),
                job.getSourceFolder().isEmpty() ? "" : "/" + job.getSourceFolder(), job.getInputs().size() + " file(s)");
        return job;
    }
}
