package io.darkroom.wiring;

import io.darkroom.intake.UnreadableNames;
import io.darkroom.intake.BucketScanner;
import io.darkroom.intake.FileStability;
import io.darkroom.intake.InboxScanner;
import io.darkroom.intake.JobClaims;
import io.darkroom.intake.MailIntake;
import io.darkroom.intake.MailSenders;
import io.darkroom.intake.MailSpool;
import io.darkroom.job.JobOutcomes;
import io.darkroom.ledger.JobLedger;
import io.darkroom.ledger.ClusterLedger;
import io.darkroom.ledger.LeaseTakeover;
import io.darkroom.ledger.LedgerRecovery;
import io.darkroom.s3.BucketFolders;
import io.darkroom.s3.BucketStaging;
import io.darkroom.s3.S3Connection;
import io.darkroom.s3.S3Location;
import io.darkroom.ticket.TicketReader;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.List;
import java.util.Properties;

/**
 * The intakes (inbox folder, S3 bucket, IMAP mailbox), the claims that keep an input in one job,
 * the run's counters, and the recovery that claims unfinished jobs' inputs before the first scan.
 */
public class IntakeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeConfiguration.class);

    @PropertyInject("darkroom.intake.min-age")
    String minAge;
    @PropertyInject("darkroom.intake.missing-reference-grace")
    String missingReferenceGrace;

    @PropertyInject(value = "darkroom.s3.enabled", defaultValue = "false")
    boolean s3Enabled;
    @PropertyInject(value = "darkroom.s3.endpoint", defaultValue = "")
    String s3Endpoint;
    @PropertyInject("darkroom.s3.region")
    String s3Region;
    @PropertyInject(value = "darkroom.s3.path-style", defaultValue = "false")
    boolean s3PathStyle;
    @PropertyInject(value = "darkroom.s3.access-key", defaultValue = "")
    String s3AccessKey;
    @PropertyInject(value = "darkroom.s3.secret-key", defaultValue = "")
    String s3SecretKey;
    @PropertyInject(value = "darkroom.s3.use-instance-metadata", defaultValue = "false")
    boolean s3UseInstanceMetadata;
    @PropertyInject(value = "darkroom.s3.bucket", defaultValue = "")
    String bucket;
    @PropertyInject(value = "darkroom.s3.prefix", defaultValue = "")
    String bucketPrefix;
    @PropertyInject("darkroom.s3.outbox-prefix")
    String bucketOutboxPrefix;
    @PropertyInject("darkroom.s3.done-prefix")
    String bucketDonePrefix;
    @PropertyInject("darkroom.s3.failed-prefix")
    String bucketFailedPrefix;
    @PropertyInject("darkroom.s3.held-prefix")
    String bucketHeldPrefix;

    @PropertyInject(value = "darkroom.mail.enabled", defaultValue = "false")
    boolean mailEnabled;
    @PropertyInject(value = "darkroom.mail.username", defaultValue = "")
    String mailUsername;
    @PropertyInject(value = "darkroom.mail.from", defaultValue = "")
    String mailFrom;
    @PropertyInject(value = "darkroom.mail.allowed-senders", defaultValue = "")
    String allowedSenders;
    @PropertyInject(value = "darkroom.mail.processed-folder", defaultValue = "")
    String processedFolder;
    @PropertyInject(value = "darkroom.mail.rejected-folder", defaultValue = "")
    String rejectedFolder;

    @PropertyInject(value = "darkroom.cluster.max-jobs-per-node", defaultValue = "100")
    int maxJobsPerNode;

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        Folders folders = registry.findSingleByType(Folders.class);
        long grace = ProviderConfiguration.millis(missingReferenceGrace);
        TicketReader tickets = new TicketReader();
        JobClaims claims = new JobClaims();
        registry.bind("jobClaims", claims);
        JobOutcomes outcomes = new JobOutcomes(claims);
        registry.bind("jobOutcomes", outcomes);

        InboxScanner scanner = new InboxScanner(folders.inbox(), tickets,
                new FileStability(ProviderConfiguration.millis(minAge), clock), claims, grace, clock);
        scanner.setUnreadableNames(new UnreadableNames(folders.inbox(), folders.failed(), outcomes));
        registry.bind("inboxScanner", scanner);
        JobLedger ledger = registry.findSingleByType(JobLedger.class);
        if (ledger.isCluster()) {
            // nodes share the inbox: the ledger decides which one takes each ticket, and the claim goes when the job ends
            ClusterLedger cluster = registry.lookupByNameAndType("clusterLedger", ClusterLedger.class);
            scanner.setCluster(cluster, () -> maxJobsPerNode - outcomes.inProgress());
            outcomes.setReleaseClusterClaims(cluster::releaseInputs);
        }

        // S3: one client for the intake and for s3:// destinations, built on first use
        S3Connection s3 = new S3Connection(s3Endpoint, s3Region, s3PathStyle, s3AccessKey, s3SecretKey, s3UseInstanceMetadata);
        context.addService(s3);
        registry.bind("s3Connection", s3);
        registry.bind("s3Client", S3Client.class, s3::client);
        BucketFolders buckets = bucketFolders();
        registry.bind("bucketFolders", buckets);
        BucketStaging staging = new BucketStaging(folders.data().resolve("staging").resolve("s3"));
        registry.bind("bucketStaging", staging);
        BucketScanner bucketScanner = new BucketScanner(s3, buckets.inbox(), buckets.outbox(), staging, tickets, claims, grace, clock);
        registry.bind("bucketScanner", bucketScanner);

        // mail: requests from an IMAP mailbox
        MailSenders senders = new MailSenders(allowedSenders);
        if (mailEnabled && senders.isEmpty()) {
            LOG.warn("Mail intake is on but darkroom.mail.allowed-senders is empty: every mail will be set aside unanswered");
        }
        // attachments are fetched in 1 MiB pieces instead of 16 KiB: one round trip per piece to the IMAP server
        Properties mailProperties = new Properties();
        for (String protocol : List.of("imap", "imaps")) {
            mailProperties.setProperty("mail." + protocol + ".fetchsize", String.valueOf(1024 * 1024));
        }
        registry.bind("mailProperties", mailProperties);
        MailSpool spool = new MailSpool(folders.data().resolve("staging").resolve("mail"), claims);
        registry.bind("mailSpool", spool);
        MailIntake mailIntake = new MailIntake(senders, addressOf(mailSender(mailFrom, mailUsername)), spool, tickets, claims,
                processedFolder, rejectedFolder, clock);
        registry.bind("mailIntake", mailIntake);

        LedgerRecovery recovery = new LedgerRecovery(ledger, claims);
        ClusterLedger clusterLedger = registry.lookupByNameAndType("clusterLedger", ClusterLedger.class);
        if (ledger.isCluster()) {
            recovery.setReleaseClusterClaims(clusterLedger::releaseInputs);
            // the bucket and the mailbox are read by every node too; the ledger decides who takes each input
            bucketScanner.setCluster(clusterLedger);
            mailIntake.setCluster(clusterLedger);
        }
        // cluster mode: leases renewed and taken over by the routes in 9-cluster (started only in cluster mode)
        registry.bind("leaseTakeover", new LeaseTakeover(ledger, clusterLedger, claims));
        // a service: it claims the unfinished jobs' inputs when it starts, before the first scan
        registry.bind("ledgerRecovery", recovery);
        context.addService(recovery, true, false);
    }

    private BucketFolders bucketFolders() {
        S3Location inbox = new S3Location(bucket.trim(), bucketPrefix.trim());
        BucketFolders buckets = new BucketFolders(inbox, S3Location.resolve(bucketOutboxPrefix.trim(), bucket.trim()),
                S3Location.resolve(bucketDonePrefix.trim(), bucket.trim()), S3Location.resolve(bucketFailedPrefix.trim(), bucket.trim()),
                S3Location.resolve(bucketHeldPrefix.trim(), bucket.trim()), s3Enabled ? inbox : null);
        if (s3Enabled) {
            buckets.checkIntake();
        }
        return buckets;
    }

    /** The replies' sender: darkroom.mail.from, else the mailbox's own username. */
    static String mailSender(String from, String username) {
        return from == null || from.isBlank() ? username : from.trim();
    }

    /** The bare address of "Name <address>" (or of a bare address); the text itself if it does not parse. */
    static String addressOf(String from) {
        try {
            return new InternetAddress(from).getAddress();
        } catch (AddressException e) {
            return from;
        }
    }
}
