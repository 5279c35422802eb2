package io.darkroom;

import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import io.darkroom.wiring.AcceptConfiguration;
import io.darkroom.wiring.DeliveryConfiguration;
import io.darkroom.wiring.Folders;
import io.darkroom.wiring.IntakeConfiguration;
import io.darkroom.wiring.LedgerConfiguration;
import io.darkroom.wiring.ProviderConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts Darkroom. {@code java -jar darkroom.jar} runs the daemon; {@code --once} processes what is
 * in the inbox now and exits 0 when every job was delivered, 3 when any failed or was held;
 * {@code jobs} lists the ledger; {@code models} prints the catalog and exits 1 when a provider's live
 * schema no longer agrees with config/models.yaml (see ModelsCommand).
 */
public final class Darkroom {

    public static final String CONFIG = "file:config/application.properties";
    static final int EXIT_SOME_FAILED = 3;
    static final int EXIT_CANNOT_START = 2;

    private Darkroom() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("jobs")) {
            listJobs();
            return;
        }
        if (arguments.contains("models")) {
            System.exit(io.darkroom.provider.schema.ModelsCommand.fromConfig(CONFIG).run(System.out));
        }
        boolean once = arguments.contains("--once");
        Main main = new Main();
        configurations().forEach(main.configure()::addConfiguration);
        main.setPropertyPlaceholderLocations(CONFIG);
        OnceRun onceRun = null;
        if (once) {
            // nothing more will arrive: a missing reference is missing now
            main.addOverrideProperty("darkroom.intake.missing-reference-grace", "0");
            onceRun = new OnceRun();
            main.addMainListener(onceRun);
        }
        try {
            main.run();
        } catch (Exception e) {
            // a start-up problem Darkroom explains itself (a damaged ledger, an inbox another instance holds): the sentence, not a stack trace
            String explained = explanation(e);
            if (explained == null) {
                throw e;
            }
            System.err.println("darkroom: cannot start: " + explained);
            System.exit(EXIT_CANNOT_START);
        }
        if (onceRun != null) {
            System.out.println(onceRun.summary());
            System.exit(onceRun.allDelivered() ? 0 : EXIT_SOME_FAILED);
        }
    }

    private static String explanation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalStateException || t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return null;
    }

    /** The wiring by concern, in the order each needs the one before (folders and ledger first). */
    public static List<CamelConfiguration> configurations() {
        return List.of(new LedgerConfiguration(), new ProviderConfiguration(), new IntakeConfiguration(), new AcceptConfiguration(),
                new DeliveryConfiguration());
    }

    private static void listJobs() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(CONFIG);
            PropertiesComponent properties = context.getPropertiesComponent();
            JobLedger ledger = LedgerConfiguration.open(properties.resolveProperty("darkroom.ledger.url").orElse(""),
                    properties.resolveProperty("darkroom.ledger.user").orElse(""),
                    properties.resolveProperty("darkroom.ledger.password").orElse(""),
                    Folders.path(properties.resolveProperty("darkroom.data").orElse("data")));
            try (ledger) {
                ledger.start();
                System.out.printf("%-28s %-14s %-10s %-30s %-8s %s%n", "JOB", "STATE", "USE CASE", "MODEL", "PROVIDER", "ERROR");
                for (Job job : ledger.all(500)) {
                    System.out.printf("%-28s %-14s %-10s %-30s %-8s %s%n", job.getId(), job.getState(),
                            job.getPlan() == null ? "-" : job.getPlan().getUseCase(),
                            job.getPlan() == null ? "-" : job.getPlan().getModel(),
                            job.getProvider() == null ? "-" : job.getProvider(),
                            job.getErrorCode() == null ? "" : job.getErrorCode() + ": " + job.getErrorMessage());
                }
                Map<String, Integer> limits = ledger.learnedLimits();
                if (!limits.isEmpty()) {
                    System.out.println();
                    limits.forEach((provider, limit) -> System.out.printf("%s: in-flight limit learned %d%n", provider, limit));
                }
            }
        }
    }
}
