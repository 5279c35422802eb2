package io.darkroom.wiring;

import java.util.ArrayList;
import java.util.List;
import io.darkroom.accept.DuplicateCheck;
import io.darkroom.accept.JobAcceptance;
import io.darkroom.image.ImageInspector;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.BudgetGuard;
import io.darkroom.plan.DestinationPlanner;
import io.darkroom.plan.DestinationRules;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.RoutingTable;
import io.darkroom.plan.UseCasePlanner;
import io.darkroom.provider.ProviderDirectory;
import io.darkroom.s3.BucketFolders;
import io.darkroom.ticket.TicketValidator;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** The accept stage: ticket and image limits, the routing table, destinations, duplicates and budgets. */
public class AcceptConfiguration implements CamelConfiguration {

    @PropertyInject("darkroom.limits.max-variants")
    int maxVariants;
    @PropertyInject("darkroom.limits.max-prompt-chars")
    int maxPromptChars;
    @PropertyInject("darkroom.limits.max-image-bytes")
    long maxImageBytes;
    @PropertyInject("darkroom.limits.max-image-pixels")
    long maxImagePixels;
    @PropertyInject("darkroom.budget.per-job-usd")
    double perJobUsd;
    @PropertyInject("darkroom.budget.per-day-usd")
    double perDayUsd;
    @PropertyInject(value = "darkroom.mail.enabled", defaultValue = "false")
    boolean mailEnabled;
    @PropertyInject(value = "darkroom.webhook.allowed-http-hosts", defaultValue = "")
    String allowedHttpHosts;
    @PropertyInject(value = "darkroom.destinations.file-roots", defaultValue = "")
    String fileRoots;
    @PropertyInject(value = "darkroom.s3.enabled", defaultValue = "false")
    boolean s3Enabled;
    @PropertyInject(value = "darkroom.s3.endpoint", defaultValue = "")
    String s3Endpoint;
    @PropertyInject(value = "darkroom.s3.access-key", defaultValue = "")
    String s3AccessKey;
    @PropertyInject(value = "darkroom.webhook.secret", defaultValue = "")
    String webhookSecret;

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        Folders folders = registry.findSingleByType(Folders.class);
        JobLedger ledger = registry.findSingleByType(JobLedger.class);
        RoutingTable routing = RoutingTable.load(Path.of("config/routing.yaml"));
        List<Path> roots = new ArrayList<>(List.of(folders.outbox()));
        for (String root : fileRoots.split(",")) {
            if (!root.isBlank()) {
                roots.add(Folders.path(root));
            }
        }
        boolean s3Configured = s3Enabled || !s3Endpoint.isBlank() || !s3AccessKey.isBlank();
        DestinationRules rules = new DestinationRules(folders.inbox(), roots, registry.findSingleByType(BucketFolders.class).intake(),
                s3Configured, mailEnabled, DestinationRules.hosts(allowedHttpHosts), !webhookSecret.isBlank());
        registry.bind("jobAcceptance", new JobAcceptance(
                new TicketValidator(maxVariants, maxPromptChars),
                new ImageInspector(maxImageBytes, maxImagePixels),
                new UseCasePlanner(registry.findSingleByType(ModelCatalog.class), routing, registry.findSingleByType(ProviderDirectory.class)),
                new DestinationPlanner(folders.outbox(), routing, rules),
                ledger, clock));
        registry.bind("duplicateCheck", new DuplicateCheck(ledger));
        BudgetGuard budgetGuard = new BudgetGuard(perJobUsd, perDayUsd, ledger, clock);
        if (ledger.isCluster()) {
            budgetGuard.setCluster(registry.lookupByNameAndType("clusterLedger", io.darkroom.ledger.ClusterLedger.class));
        }
        registry.bind("budgetGuard", budgetGuard);
        LoggerFactory.getLogger("io.darkroom.Darkroom").info("Darkroom: inbox {}, outbox {}, default provider {}", folders.inbox(),
                folders.outbox(), registry.findSingleByType(ProviderDirectory.class).defaultProvider());
    }
}
