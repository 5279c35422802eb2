package io.darkroom.intake;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.s3.BucketStaging;
import io.darkroom.s3.S3Connection;
import io.darkroom.s3.S3Location;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The S3 intake: lists the intake prefix of the bucket, applies the same pairing rules as the
 * inbox folder to the object keys (a key prefix is a folder), stages the objects of each ready job
 * to local files and claims them. An object counts as stable as soon as it is listed, since an S3
 * put is atomic; a ticket still waits for references that are not there yet.
 */
public class BucketScanner {

    private static final Logger LOG = LoggerFactory.getLogger(BucketScanner.class);
    /** Tickets and folder defaults are read into memory to parse them; anything larger is no ticket. */
    private static final long MAX_TICKET_BYTES = 1024 * 1024;

    private record Seen(String etag, long firstSeen) {
    }

    private record CachedTicket(String etag, byte[] bytes) {
    }

    private final S3Connection s3;
    private final S3Location intake;
    private final S3Location outbox;
    private final BucketStaging staging;
    private final TicketReader tickets;
    private final JobClaims claims;
    private final TicketPairing pairing;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, CachedTicket> ticketCache = new ConcurrentHashMap<>();
    private final Set<String> unsafeKeysReported = ConcurrentHashMap.newKeySet();
    /** Cluster mode: the ledger decides which node takes each ticket of the bucket (null: this node alone reads it). */
    private io.darkroom.ledger.ClusterLedger cluster;

    public BucketScanner(S3Connection s3, S3Location intake, S3Location outbox, BucketStaging staging, TicketReader tickets,
                         JobClaims claims, long missingReferenceGraceMillis, Clock clock) {
        this.s3 = s3;
        this.intake = intake;
        this.outbox = outbox;
        this.staging = staging;
        this.tickets = tickets;
        this.claims = claims;
        this.pairing = new TicketPairing(missingReferenceGraceMillis, clock);
        this.clock = clock;
    }

    /** Cluster mode: several nodes list this bucket; a ticket becomes a job on the node whose claim in the ledger wins. */
    public void setCluster(io.darkroom.ledger.ClusterLedger cluster) {
        this.cluster = cluster;
    }

    public S3Location intake() {
        return intake;
    }

    public synchronized List<Job> scan() {
        Map<String, S3Object> listed;
        try {
            listed = list();
        } catch (RuntimeException e) {
            // the bucket may be briefly unreachable; the next scan tries again
            LOG.warn("S3 intake: {} could not be listed at {}: {}", intake, s3.describe(), e.toString());
            return List.of();
        }
        long now = clock.millis();
        seen.keySet().retainAll(listed.keySet());
        ticketCache.keySet().retainAll(listed.keySet());
        listed.forEach((key, object) -> seen.compute(key, (k, before) ->
                before != null && Objects.equals(before.etag(), object.eTag()) ? before : new Seen(object.eTag(), now)));

        Map<String, List<String>> folders = new TreeMap<>();
        for (String key : listed.keySet()) {
            String relative = key.substring(intake.prefix().length());
            int slash = relative.lastIndexOf('/');
            folders.computeIfAbsent(slash < 0 ? "" : relative.substring(0, slash + 1), k -> new ArrayList<>())
                    .add(relative.substring(slash + 1));
        }
        List<Job> ready = new ArrayList<>();
        Set<String> claimedInCluster = cluster == null ? Set.of() : cluster.claimedInputs();
        for (Map.Entry<String, List<String>> folder : folders.entrySet()) {
            BucketFolder view = new BucketFolder(folder.getKey(), folder.getValue(), listed);
            TicketPairing.Outcome outcome;
            try {
                outcome = pairing.pair(view);
            } catch (RuntimeException e) {
                // one unreadable folder must not hold up the others; it is tried again next scan
                LOG.warn("S3 intake: {} could not be scanned: {}", intake.child(folder.getKey()), e.toString());
                continue;
            }
            for (TicketPairing.Found found : outcome.ready()) {
                String claimKey = "s3:" + intake.bucket() + "/" + view.key(found.trigger());
                if (claimedInCluster.contains(claimKey)) {
                    continue;
                }
                Job job = stage(view, found);
                if (job != null && (cluster == null || claimedHere(claimKey, view.key(found.trigger()), job))) {
                    ready.add(job);
                }
            }
        }
        ready.sort(Comparator.comparing(Job::getReceivedAt));
        return ready;
    }

    /**
     * Cluster mode: the ledger's claim on the ticket decides; a job that lost it, or whose ticket
     * was archived by the job that held it between the listing and the claim, lets its files go.
     */
    private boolean claimedHere(String claimKey, String ticketKey, Job job) {
        boolean mine = cluster.claimInput(claimKey, job.getId());
        if (mine && !exists(ticketKey)) {
            cluster.releaseInputs(job.getId());
            mine = false;
        }
        if (!mine) {
            claims.release(job.getInputs());
        }
        return mine;
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(intake.bucket()).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Every object under the intake prefix that can be a job's input. */
    private Map<String, S3Object> list() {
        Map<String, S3Object> listed = new TreeMap<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(intake.bucket()).prefix(intake.prefix()).build();
        for (S3Object object : s3.client().listObjectsV2Paginator(request).contents()) {
            String key = object.key();
            String relative = key.substring(intake.prefix().length());
            if (relative.isEmpty() || key.endsWith("/") || isHidden(relative)) {
                continue;
            }
            if (!BucketStaging.isSafeKey(key)) {
                if (unsafeKeysReported.add(key)) {
                    LOG.warn("S3 intake: ignoring object '{}': its key has empty, '.' or '..' parts", key);
                }
                continue;
            }
            listed.put(key, object);
        }
        return listed;
    }

    private static boolean isHidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Copies the job's objects to local files; null (tried again next scan) if one cannot be fetched as listed. */
    private Job stage(BucketFolder folder, TicketPairing.Found found) {
        String stem = found.ticketName() != null ? TicketReader.stemOf(found.ticketName()) : TicketPairing.imageStem(found.trigger());
        Job job = NewJob.found("s3", stem, Instant.ofEpochMilli(folder.firstSeen(found.trigger())));
        String folderName = folder.relative.endsWith("/") ? folder.relative.substring(0, folder.relative.length() - 1) : folder.relative;
        job.setSourceFolder(folderName);
        job.getOrigin().put("bucket", intake.bucket());
        job.getOrigin().put("prefix", intake.prefix());
        job.getOrigin().put("defaultDestination", outbox + "{useCase}/");
        List<Path> staged = new ArrayList<>();
        try {
            for (String input : found.inputs()) {
                String key = folder.key(input);
                String etag = folder.listed.get(key).eTag();
                staged.add(staging.download(s3.client(), intake.bucket(), key, etag));
                if (etag != null) {
                    job.getOrigin().put("etag:" + key, etag);
                }
            }
        } catch (Exception e) {
            LOG.warn("S3 intake: objects of {} could not be fetched ({}); trying again next scan",
                    intake.child(folder.relative).key(found.trigger()), e.toString());
            return null;
        }
        staged.forEach(path -> job.getInputs().add(path.toString()));
        NewJob.takePairing(job, found, reference -> staging.pathOf(intake.bucket(), folder.key(reference)).toString());
        staged.forEach(claims::claim);
        LOG.info("Job {} found in {}: {} object(s)", job.getId(), intake.child(folder.relative), staged.size());
        return job;
    }

    /** One key prefix of the intake as the pairing rules see it. */
    private final class BucketFolder implements TicketPairing.Folder {
        private final String relative;
        private final List<String> names;
        private final Map<String, S3Object> listed;
        private FolderDefaults defaults;

        BucketFolder(String relative, List<String> names, Map<String, S3Object> listed) {
            this.relative = relative;
            this.names = names;
            this.listed = listed;
        }

        String key(String name) {
            return intake.key(relative + name);
        }

        @Override
        public List<String> names() {
            return names;
        }

        @Override
        public boolean exists(String name) {
            return listed.containsKey(key(name));
        }

        @Override
        public boolean isStable(String name) {
            return exists(name);
        }

        @Override
        public boolean isClaimed(String name) {
            return claims.isClaimed(staging.pathOf(intake.bucket(), key(name)));
        }

        @Override
        public long firstSeen(String name) {
            Seen first = seen.get(key(name));
            return first == null ? clock.millis() : first.firstSeen();
        }

        @Override
        public Ticket readTicket(String name) {
            return tickets.read(name, smallObject(key(name), name));
        }

        @Override
        public FolderDefaults defaults() {
            if (defaults == null) {
                defaults = findDefaults();
            }
            return defaults;
        }

        /** Its own {@code _defaults.yaml}, else the nearest one in a folder above it inside the intake prefix. */
        private FolderDefaults findDefaults() {
            String folder = relative;
            while (true) {
                for (String name : FolderDefaults.NAMES) {
                    String key = intake.key(folder + name);
                    if (listed.containsKey(key)) {
                        String location = "s3://" + intake.bucket() + "/" + key;
                        try {
                            return new FolderDefaults(location, tickets.read(name, smallObject(key, name)), null);
                        } catch (JobFailure failure) {
                            return new FolderDefaults(location, null, failure);
                        }
                    }
                }
                if (folder.isEmpty()) {
                    return FolderDefaults.none();
                }
                String parent = folder.substring(0, folder.length() - 1);
                int slash = parent.lastIndexOf('/');
                folder = slash < 0 ? "" : parent.substring(0, slash + 1);
            }
        }

        private byte[] smallObject(String key, String name) {
            S3Object object = listed.get(key);
            if (object.size() != null && object.size() > MAX_TICKET_BYTES) {
                throw new JobFailure(ErrorCode.TICKET_INVALID, String.format(Locale.ROOT,
                        "Ticket %s is %,d bytes; a ticket may have at most %,d bytes.", name, object.size(), MAX_TICKET_BYTES));
            }
            CachedTicket cached = ticketCache.get(key);
            if (cached != null && object.eTag() != null && object.eTag().equals(cached.etag())) {
                return cached.bytes();
            }
            S3Client client = s3.client();
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(intake.bucket()).key(key);
            if (object.eTag() != null) {
                request.ifMatch(object.eTag());
            }
            byte[] bytes = client.getObjectAsBytes(request.build()).asByteArray();
            ticketCache.put(key, new CachedTicket(object.eTag(), bytes));
            return bytes;
        }
    }
}
