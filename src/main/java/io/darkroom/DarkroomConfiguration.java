package io.darkroom;

import io.darkroom.accept.DuplicateCheck;
import io.darkroom.accept.JobAcceptance;
import io.darkroom.deliver.InputArchiver;
import io.darkroom.deliver.JobArchive;
import io.darkroom.deliver.Manifest;
import io.darkroom.deliver.OutboxTidy;
import io.darkroom.deliver.OutputFiles;
import io.darkroom.image.ImageInspector;
import io.darkroom.intake.FileStability;
import io.darkroom.intake.InboxScanner;
import io.darkroom.intake.JobClaims;
import io.darkroom.job.FailureRecorder;
import io.darkroom.job.JobOutcomes;
import io.darkroom.ledger.JobLedger;
import io.darkroom.ledger.LedgerRecovery;
import io.darkroom.plan.BudgetGuard;
import io.darkroom.plan.DestinationPlanner;
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
import io.darkroom.provider.openai.OpenAiMapping;
import io.darkroom.provider.preview.PreviewProvider;
import io.darkroom.provider.preview.PreviewRenderer;
import io.darkroom.ticket.TicketReader;
import io.darkroom.ticket.TicketValidator;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates every bean of the pipeline from config/ and binds it by the name the routes use. All the
 * wiring is here; the routes refer to beans by name only.
 */
public class DarkroomConfiguration implements CamelConfiguration {

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

        Map<String, ProviderMapping> mappings = new LinkedHashMap<>();
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models.yaml"));
        mappings.put("atlas", new AtlasMapping(catalog, settings.number("darkroom.providers.atlas.upload-above-bytes")));
        mappings.put("openai", new OpenAiMapping(settings.text("darkroom.providers.openai.quality")));

        RoutingTable routing = RoutingTable.load(Path.of("config/routing.yaml"));
        TicketReader tickets = new TicketReader();
        JobClaims claims = new JobClaims();
        JobOutcomes outcomes = new JobOutcomes(claims, limiter);
        registry.bind("jobOutcomes", outcomes);
        registry.bind("jobClaims", claims);

        InboxScanner scanner = new InboxScanner(inbox, tickets, new FileStability(settings.millis("darkroom.intake.min-age"), clock), claims,
                settings.millis("darkroom.intake.missing-reference-grace"), clock);
        registry.bind("inboxScanner", scanner);

        registry.bind("jobAcceptance", new JobAcceptance(
                new TicketValidator(settings.integer("darkroom.limits.max-variants"), settings.integer("darkroom.limits.max-prompt-chars")),
                new ImageInspector(settings.number("darkroom.limits.max-image-bytes"), settings.number("darkroom.limits.max-image-pixels")),
                new UseCasePlanner(catalog, routing, directory),
                new DestinationPlanner(settings.path("darkroom.outbox"), routing),
                ledger, clock));
        registry.bind("budgetGuard",
                new BudgetGuard(settings.decimal("darkroom.budget.per-job-usd"), settings.decimal("darkroom.budget.per-day-usd"), ledger, clock));
        registry.bind("duplicateCheck", new DuplicateCheck(ledger));

        PollSchedule schedule = new PollSchedule(settings.millis("darkroom.poll.initial-delay"), settings.millis("darkroom.poll.max-delay"),
                settings.millis("darkroom.poll.retry-after-cap"), clock);
        registry.bind("pollSchedule", schedule);
        registry.bind("providerCalls", new ProviderCalls(mappings, directory, schedule, ledger, clock, settings.millis("darkroom.poll.deadline"),
                settings.integer("darkroom.submit.max-attempts"), settings.integer("darkroom.download.max-attempts")));
        registry.bind("previewProvider", new PreviewProvider(new PreviewRenderer(), ledger, clock));

        registry.bind("outputFiles", new OutputFiles());
        registry.bind("manifest", new Manifest());
        JobArchive archive = new JobArchive(ledger, clock);
        archive.register("folder", new InputArchiver(inbox, settings.path("darkroom.done"), settings.path("darkroom.failed"),
                settings.path("darkroom.held")));
        registry.bind("jobArchive", archive);
        registry.bind("failureRecorder", new FailureRecorder(ledger));

        LoggerFactory.getLogger(Darkroom.class).info("Darkroom: inbox {}, outbox {}, default provider {}", inbox,
                settings.path("darkroom.outbox"), directory.defaultProvider());

        LedgerRecovery recovery = new LedgerRecovery(ledger, claims, outcomes, limiter);
        recovery.claimUnfinished();
        registry.bind("ledgerRecovery", recovery);
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

        String secret(String key) {
            String value = text(key);
            return value == null ? "" : value;
        }

        Path path(String key) {
            return Path.of(required(key)).toAbsolutePath().normalize();
        }

        int integer(String key) {
            return Integer.parseInt(required(key));
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
