package io.darkroom;

import io.darkroom.accept.DuplicateCheck;
import io.darkroom.accept.JobAcceptance;
import io.darkroom.deliver.BucketArchiver;
import io.darkroom.deliver.BucketUploads;
import io.darkroom.deliver.InputArchiver;
import io.darkroom.deliver.MailArchiver;
import io.darkroom.deliver.MailReplies;
import io.darkroom.deliver.JobArchive;
import io.darkroom.deliver.Manifest;
import io.darkroom.deliver.OutboxTidy;
import io.darkroom.deliver.OutputFiles;
import io.darkroom.deliver.WebhookCalls;
import io.darkroom.deliver.WebhookSignature;
import io.darkroom.image.ImageInspector;
import io.darkroom.intake.BucketScanner;
import io.darkroom.intake.FileStability;
import io.darkroom.intake.InboxScanner;
import io.darkroom.intake.JobClaims;
import io.darkroom.intake.MailIntake;
import io.darkroom.intake.MailSenders;
import io.darkroom.intake.MailSpool;
import io.darkroom.job.FailureRecorder;
import io.darkroom.job.JobOutcomes;
import io.darkroom.ledger.JobLedger;
import io.darkroom.ledger.LedgerRecovery;
import io.darkroom.plan.BudgetGuard;
import io.darkroom.plan.DestinationPlanner;
import io.darkroom.plan.DestinationRules;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.RoutingTable;
import io.darkroom.plan.UseCasePlanner;
import io.darkroom.provider.InFlightLimiter;
import io.darkroom.provider.PollSchedule;
import io.darkroom.provider.ProviderCalls;
import io.darkroom.provider.ProviderDirectory;
import io.darkroom.provider.ProviderMapping;
import io.darkroom.provider.ProviderSettings;
import io.darkroom.provider.atlas.AtlasMapping;
import io.darkroom.provider.atlas.AtlasSchemaSource;
import io.darkroom.provider.schema.ModelSchemas;
import io.darkroom.provider.openai.OpenAiMapping;
import io.darkroom.provider.preview.PreviewProvider;
import io.darkroom.provider.preview.PreviewRenderer;
import io.darkroom.s3.BucketStaging;
import io.darkroom.s3.S3Connection;
import io.darkroom.s3.S3Location;
import io.darkroom.ticket.TicketReader;
import io.darkroom.ticket.TicketValidator;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Creates every bean of the pipeline from config/ and binds it by the name the routes use. All the
 * wiring is here; the routes refer to beans by name only.
 */
public class DarkroomConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DarkroomConfiguration.class);

    /** Providers with a mapping; each reads darkroom.providers.NAME.* */
    static final List<String> PROVIDERS = List.of("atlas", "openai");

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        Path inbox = settings.path("darkroom.inbox");
        Path data = settings.path("darkroom.data");
        for (String folder : List.of("darkroom.inbox", "darkroom.outbox", "darkroom.done", "darkroom.failed", "darkroom.held", "darkroom.data")) {
            Files.createDirectories(settings.path(folder));
        }

        new OutboxTidy(settings.path("darkroom.outbox")).removeLeftovers();

        JobLedger ledger = ledger(settings, data);
        ledger.start();
        registry.bind("jobLedger", ledger);

        ProviderDirectory directory = new ProviderDirectory(settings.text("darkroom.provider.default"));
        InFlightLimiter limiter = new InFlightLimiter("seda:submit");
        limiter.setProducer(context.createProducerTemplate());
        for (String name : PROVIDERS) {
            String prefix = "darkroom.providers." + name + ".";
            ProviderSettings provider = new ProviderSettings(name, settings.text(prefix + "base-url"), settings.secret(prefix + "api-key"),
                    settings.integer(prefix + "max-in-flight"));
            directory.add(provider);
            limiter.limit(name, provider.getMaxInFlight());
        }
        registry.bind("inFlightLimiter", limiter);

        // providers: one mapping each; everything else about calling them is shared
        Map<String, ProviderMapping> mappings = new LinkedHashMap<>();
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models.yaml"));
        ModelSchemas atlasSchemas = AtlasSchemaSource.schemas(catalog, settings.text("darkroom.providers.atlas.base-url"), data,
                settings.millis("darkroom.providers.atlas.schema-ttl"), clock);
        if (directory.settings("atlas").isConfigured()) {
            LOG.info("Atlas model schemas: {}", atlasSchemas.origin()); // read at start, so drift shows before the first job
        }
        mappings.put("atlas", new AtlasMapping(catalog, settings.number("darkroom.providers.atlas.upload-above-bytes"), atlasSchemas));
        mappings.put("openai", new OpenAiMapping(catalog, settings.text("darkroom.providers.openai.quality")));

        // intake and acceptance
        RoutingTable routing = RoutingTable.load(Path.of("config/routing.yaml"));
        TicketReader tickets = new TicketReader();
        JobClaims claims = new JobClaims();
        JobOutcomes outcomes = new JobOutcomes(claims, limiter);
        registry.bind("jobOutcomes", outcomes);
        registry.bind("jobClaims", claims);

        // S3: one client for the intake and for s3:// destinations, built on first use
        S3Connection s3 = new S3Connection(settings.text("darkroom.s3.endpoint"), settings.text("darkroom.s3.region"),
                settings.flag("darkroom.s3.path-style"), settings.secret("darkroom.s3.access-key"), settings.secret("darkroom.s3.secret-key"));
        context.addService(s3);
        registry.bind("s3Client", S3Client.class, s3::client);
        BucketStaging bucketStaging = new BucketStaging(data.resolve("staging").resolve("s3"));
        String bucket = settings.optional("darkroom.s3.bucket");
        S3Location bucketInbox = new S3Location(bucket, settings.optional("darkroom.s3.prefix"));
        S3Location bucketOutbox = S3Location.resolve(settings.text("darkroom.s3.outbox-prefix"), bucket);
        S3Location bucketDone = S3Location.resolve(settings.text("darkroom.s3.done-prefix"), bucket);
        S3Location bucketFailed = S3Location.resolve(settings.text("darkroom.s3.failed-prefix"), bucket);
        S3Location bucketHeld = S3Location.resolve(settings.text("darkroom.s3.held-prefix"), bucket);
        S3Location bucketIntake = null;
        if (settings.flag("darkroom.s3.enabled")) {
            checkBucketIntake(bucketInbox, Map.of("darkroom.s3.done-prefix", bucketDone, "darkroom.s3.failed-prefix", bucketFailed,
                    "darkroom.s3.held-prefix", bucketHeld, "darkroom.s3.outbox-prefix", bucketOutbox));
            bucketIntake = bucketInbox;
        }
        registry.bind("bucketScanner", new BucketScanner(s3, bucketInbox, bucketOutbox, bucketStaging, tickets, claims,
                settings.millis("darkroom.intake.missing-reference-grace"), clock));
        registry.bind("bucketUploads", new BucketUploads(s3));

        InboxScanner scanner = new InboxScanner(inbox, tickets, new FileStability(settings.millis("darkroom.intake.min-age"), clock), claims,
                settings.millis("darkroom.intake.missing-reference-grace"), clock);
        registry.bind("inboxScanner", scanner);

        registry.bind("jobAcceptance", new JobAcceptance(
                new TicketValidator(settings.integer("darkroom.limits.max-variants"), settings.integer("darkroom.limits.max-prompt-chars")),
                new ImageInspector(settings.number("darkroom.limits.max-image-bytes"), settings.number("darkroom.limits.max-image-pixels")),
                new UseCasePlanner(catalog, routing, directory),
                new DestinationPlanner(settings.path("darkroom.outbox"), routing, destinationRules(settings, inbox, bucketIntake)),
                ledger, clock));
        registry.bind("budgetGuard",
                new BudgetGuard(settings.decimal("darkroom.budget.per-job-usd"), settings.decimal("darkroom.budget.per-day-usd"), ledger, clock));
        registry.bind("duplicateCheck", new DuplicateCheck(ledger));

        // submit and poll
        PollSchedule schedule = new PollSchedule(settings.millis("darkroom.poll.initial-delay"), settings.millis("darkroom.poll.max-delay"),
                settings.millis("darkroom.poll.retry-after-cap"), clock);
        registry.bind("pollSchedule", schedule);
        registry.bind("providerCalls", new ProviderCalls(mappings, directory, schedule, ledger, clock, settings.millis("darkroom.poll.deadline"),
                settings.integer("darkroom.submit.max-attempts"), settings.integer("darkroom.download.max-attempts")));
        registry.bind("previewProvider", new PreviewProvider(new PreviewRenderer(), ledger, clock));

        // delivery and archiving, per destination kind and per intake
        registry.bind("outputFiles", new OutputFiles());
        Manifest manifest = new Manifest();
        registry.bind("manifest", manifest);
        JobArchive archive = new JobArchive(ledger, clock);
        archive.register("folder", new InputArchiver(inbox, settings.path("darkroom.done"), settings.path("darkroom.failed"),
                settings.path("darkroom.held")));
        archive.register("s3", new BucketArchiver(s3, bucketInbox, bucketDone, bucketFailed, bucketHeld, bucketStaging));

        // mail: requests from an IMAP mailbox, answers over SMTP
        String mailFrom = settings.optional("darkroom.mail.from").isEmpty() ? settings.optional("darkroom.mail.username")
                : settings.optional("darkroom.mail.from");
        MailSenders senders = new MailSenders(settings.optional("darkroom.mail.allowed-senders"));
        if (settings.flag("darkroom.mail.enabled") && senders.isEmpty()) {
            LOG.warn("Mail intake is on but darkroom.mail.allowed-senders is empty: every mail will be set aside unanswered");
        }
        // attachments are fetched in 1 MiB pieces instead of 16 KiB: one round trip per piece to the IMAP server
        Properties mailProperties = new Properties();
        for (String protocol : List.of("imap", "imaps")) {
            mailProperties.setProperty("mail." + protocol + ".fetchsize", String.valueOf(1024 * 1024));
        }
        registry.bind("mailProperties", mailProperties);
        MailSpool mailSpool = new MailSpool(data.resolve("staging").resolve("mail"), claims);
        registry.bind("mailSpool", mailSpool);
        registry.bind("mailIntake", new MailIntake(senders, addressOf(mailFrom), mailSpool, tickets, claims,
                settings.optional("darkroom.mail.processed-folder"), settings.optional("darkroom.mail.rejected-folder"), clock));
        registry.bind("mailReplies", new MailReplies(mailFrom, settings.number("darkroom.mail.max-attachment-bytes"),
                settings.path("darkroom.outbox"), manifest));
        archive.register("mail", new MailArchiver(mailSpool, context.createProducerTemplate()));

        String webhookSecret = settings.secret("darkroom.webhook.secret");
        registry.bind("webhookCalls", new WebhookCalls(webhookSecret.isEmpty() ? null : new WebhookSignature(webhookSecret), manifest,
                allowedHttpHosts(settings), settings.integer("darkroom.webhook.max-attempts"), settings.millis("darkroom.webhook.initial-delay"),
                settings.millis("darkroom.webhook.max-delay"), clock));
        registry.bind("jobArchive", archive);
        registry.bind("failureRecorder", new FailureRecorder(ledger));

        LoggerFactory.getLogger(Darkroom.class).info("Darkroom: inbox {}, outbox {}, default provider {}", inbox,
                settings.path("darkroom.outbox"), directory.defaultProvider());

        LedgerRecovery recovery = new LedgerRecovery(ledger, claims, outcomes, limiter);
        recovery.claimUnfinished();
        registry.bind("ledgerRecovery", recovery);
    }

    /** The bare address of "Name <address>" (or of a bare address); the text itself if it does not parse. */
    static String addressOf(String from) {
        try {
            return new InternetAddress(from).getAddress();
        } catch (AddressException e) {
            return from;
        }
    }

    /** Results or archived inputs inside the intake prefix would be read again as new jobs: refuse to start. */
    static void checkBucketIntake(S3Location intake, Map<String, S3Location> elsewhere) {
        if (!S3Location.isBucketName(intake.bucket())) {
            throw new IllegalArgumentException("darkroom.s3.bucket must name a bucket when darkroom.s3.enabled is true, not '"
                    + intake.bucket() + "'");
        }
        elsewhere.forEach((key, location) -> {
            if (location.overlaps(intake)) {
                throw new IllegalArgumentException(key + " (" + location + ") overlaps the S3 intake " + intake
                        + ": what lands there would be read again as new jobs. Use another prefix or bucket.");
            }
        });
    }

    static DestinationRules destinationRules(Settings settings, Path inbox, S3Location bucketIntake) {
        return new DestinationRules(inbox, bucketIntake, settings.flag("darkroom.mail.enabled"), allowedHttpHosts(settings),
                !settings.secret("darkroom.webhook.secret").isEmpty());
    }

    static Set<String> allowedHttpHosts(Settings settings) {
        Set<String> hosts = new HashSet<>();
        for (String host : settings.optional("darkroom.webhook.allowed-http-hosts").split(",")) {
            if (!host.isBlank()) {
                hosts.add(host.trim().toLowerCase(Locale.ROOT));
            }
        }
        return hosts;
    }

    static JobLedger ledger(Settings settings, Path data) {
        String url = settings.text("darkroom.ledger.url");
        if (url == null || url.isBlank()) {
            // WRITE_DELAY=0: a commit is on disk before the pipeline moves on, even if the JVM is killed
            return new JobLedger("jdbc:h2:file:" + data.toAbsolutePath().resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "");
        }
        return new JobLedger(url, settings.text("darkroom.ledger.user"), settings.secret("darkroom.ledger.password"));
    }

    /** Reads darkroom.* keys through Camel's properties, so environment and -D overrides apply. */
    static final class Settings {
        private final CamelContext context;

        Settings(CamelContext context) {
            this.context = context;
        }

        String text(String key) {
            return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(null);
        }

        /** A key that may be empty; never null. */
        String optional(String key) {
            String value = text(key);
            return value == null ? "" : value;
        }

        /** A secret: read like any key (so only through {{env:...}} in the file), never logged. */
        String secret(String key) {
            return optional(key);
        }

        Path path(String key) {
            return Path.of(required(key)).toAbsolutePath().normalize();
        }

        int integer(String key) {
            return Integer.parseInt(required(key));
        }

        boolean flag(String key) {
            return Boolean.parseBoolean(optional(key));
        }

        long number(String key) {
            return Long.parseLong(required(key));
        }

        double decimal(String key) {
            return Double.parseDouble(required(key));
        }

        long millis(String key) {
            return TimeUtils.toMilliSeconds(required(key));
        }

        private String required(String key) {
            String value = text(key);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("Configuration key " + key + " has no value (config/application.properties)");
            }
            return value;
        }
    }
}
