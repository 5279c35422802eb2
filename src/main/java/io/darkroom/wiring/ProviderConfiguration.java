package io.darkroom.wiring;

import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.provider.InFlightLimiter;
import io.darkroom.provider.PollSchedule;
import io.darkroom.provider.ProviderCalls;
import io.darkroom.provider.ProviderContext;
import io.darkroom.provider.ProviderDirectory;
import io.darkroom.provider.ProviderMapping;
import io.darkroom.provider.ProviderSettings;
import io.darkroom.provider.RequestBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.darkroom.provider.preview.PreviewProvider;
import io.darkroom.provider.preview.PreviewRenderer;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.TimeUtils;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The providers: one mapping bean each, found on the class path, and the shared machinery that
 * knows them only by type (the directory, the in-flight limiter, the poll schedule, the calls). A
 * new provider is its mapping class and its entries in config/models.yaml; its settings are read
 * as darkroom.providers.NAME.* by name.
 */
public class ProviderConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderConfiguration.class);
    /** Finished jobs the poll schedule starts from. */
    private static final int SEED_JOBS = 500;

    @PropertyInject("darkroom.provider.default")
    String defaultProvider;
    @PropertyInject("darkroom.poll.initial-delay")
    String pollInitialDelay;
    @PropertyInject("darkroom.poll.max-delay")
    String pollMaxDelay;
    @PropertyInject("darkroom.poll.retry-after-cap")
    String retryAfterCap;
    @PropertyInject("darkroom.poll.min-interval")
    String pollMinInterval;
    @PropertyInject("darkroom.poll.deadline")
    String deadline;
    @PropertyInject("darkroom.upload.max-attempts")
    int uploadAttempts;
    @PropertyInject("darkroom.submit.max-attempts")
    int submitAttempts;
    @PropertyInject("darkroom.download.max-attempts")
    int downloadAttempts;

    @BindToRegistry
    public ModelCatalog modelCatalog() throws IOException {
        return ModelCatalog.load(Path.of("config/models.yaml"));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Clock clock = Clock.systemUTC();
        JobLedger ledger = context.getRegistry().findSingleByType(JobLedger.class);
        List<ProviderMapping> mappings = findMappings(context);
        ProviderDirectory directory = new ProviderDirectory(defaultProvider);
        InFlightLimiter limiter = new InFlightLimiter((provider, limit) -> {
            LOG.info("Provider {}: in-flight limit now {}", provider, limit);
            ledger.saveLearnedLimit(provider, limit);
        });
        if (ledger.isCluster()) {
            limiter.setCluster(context.getRegistry().lookupByNameAndType("clusterLedger", io.darkroom.ledger.ClusterLedger.class));
        }
        RequestBudget budget = new RequestBudget(clock);
        Map<String, Integer> learned = ledger.learnedLimits();
        for (ProviderMapping mapping : mappings) {
            PropertiesComponent properties = context.getPropertiesComponent();
            ProviderSettings settings = settings(properties, mapping.name());
            directory.add(mapping, settings);
            limiter.limit(mapping.name(), settings.getMaxInFlight(), Integer.parseInt(properties.resolveProperty(
                    "darkroom.providers." + mapping.name() + ".initial-in-flight").orElse("1").trim()), learned.get(mapping.name()));
            budget.limit(mapping.name(), Double.parseDouble(properties.resolveProperty(
                    "darkroom.providers." + mapping.name() + ".max-requests-per-second").orElse("0").trim()));
            if (learned.containsKey(mapping.name())) {
                LOG.info("Provider {}: starts at the in-flight limit learned earlier, {} (at most {})", mapping.name(),
                        limiter.currentLimit(mapping.name()), settings.getMaxInFlight());
            }
        }
        context.getRegistry().bind("providerDirectory", directory);
        context.getRegistry().bind("inFlightLimiter", limiter);
        context.getRegistry().bind("requestBudget", budget);
        // on stop (SIGTERM), take no new work at once; jobs at the provider stay in the ledger for the next start
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    limiter.stopAdmitting();
                }
            }
        });

        PollSchedule schedule = new PollSchedule(millis(pollInitialDelay), millis(pollMaxDelay), millis(retryAfterCap),
                millis(pollMinInterval), clock);
        // a restart starts from what this ledger's finished jobs took, not from nothing
        schedule.seed(ledger.recentDurations(SEED_JOBS));
        context.getRegistry().bind("pollSchedule", schedule);
        context.getRegistry().bind("providerCalls",
                new ProviderCalls(directory, limiter, budget, schedule, ledger, clock, millis(deadline), uploadAttempts, submitAttempts,
                        downloadAttempts));
        context.getRegistry().bind("previewProvider", new PreviewProvider(new PreviewRenderer(), ledger, clock));
    }

    /**
     * Every provider mapping on the class path (package io.darkroom.provider and below), built and
     * bound under its name: adding a provider is adding its class, nothing to list here.
     */
    private List<ProviderMapping> findMappings(CamelContext context) throws Exception {
        ProviderContext providerContext = new ProviderContext(context.getRegistry().findSingleByType(ModelCatalog.class), context.getPropertiesComponent()::resolveProperty);
        List<ProviderMapping> mappings = new ArrayList<>();
        for (Class<?> type : PluginHelper.getPackageScanClassResolver(context)
                .findImplementations(ProviderMapping.class, ProviderMapping.class.getPackageName())) {
            if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
                ProviderMapping mapping = (ProviderMapping) type.getConstructor(ProviderContext.class).newInstance(providerContext);
                context.getRegistry().bind(mapping.name(), mapping);
                mappings.add(mapping);
            }
        }
        mappings.sort(Comparator.comparing(ProviderMapping::name));
        return mappings;
    }

    private static ProviderSettings settings(PropertiesComponent properties, String name) {
        String prefix = "darkroom.providers." + name + ".";
        return new ProviderSettings(name, properties.resolveProperty(prefix + "base-url").orElse(null),
                properties.resolveProperty(prefix + "api-key").orElse(""),
                Integer.parseInt(properties.resolveProperty(prefix + "max-in-flight").orElse("0").trim()));
    }

    public static long millis(String duration) {
        return TimeUtils.toMilliSeconds(duration.trim());
    }
}
