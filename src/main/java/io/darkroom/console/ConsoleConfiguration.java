package io.darkroom.console;

import io.darkroom.accept.DuplicateCheck;
import io.darkroom.deliver.KeptOutputs;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.BudgetGuard;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.nio.file.Path;

/** The web console's beans (routes/console.camel.yaml serves them); runs after the pipeline's configuration. */
public class ConsoleConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        JobLedger ledger = registry.lookupByNameAndType("jobLedger", JobLedger.class);
        BudgetGuard budget = registry.lookupByNameAndType("budgetGuard", BudgetGuard.class);
        Path inbox = path(context, "darkroom.inbox");
        Path failed = path(context, "darkroom.failed");
        Path held = path(context, "darkroom.held");
        ArchivedInputs inputs = new ArchivedInputs(inbox, path(context, "darkroom.done"), failed, held);

        OperatorRequests requests = new OperatorRequests();
        budget.setReleasedByOperator(requests::takeRelease);
        registry.lookupByNameAndType("duplicateCheck", DuplicateCheck.class).setRerunByOperator(requests::takeRerun);

        registry.bind("consolePage", new ConsolePage(ledger, budget));
        registry.bind("consoleThumbnails", new Thumbnails(path(context, "darkroom.data").resolve("thumbnails"), ledger, inputs));
        registry.bind("consoleActions", new ConsoleActions(ledger, inputs, requests,
                registry.lookupByNameAndType("keptOutputs", KeptOutputs.class), inbox, failed, held));
    }

    private static Path path(CamelContext context, String key) {
        return Path.of(context.getPropertiesComponent().resolveProperty(key).orElseThrow().trim()).toAbsolutePath().normalize();
    }
}
