package io.darkroom;

import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.main.Main;

import java.util.Arrays;
import java.util.List;

/**
 * Starts Darkroom. {@code java -jar darkroom.jar} runs the daemon; {@code --once} processes what is
 * in the inbox now and exits 0 when every job was delivered, 3 when any failed or was held;
 * {@code jobs} lists the ledger; {@code models} prints the catalog and exits 1 when a provider's live
 * schema no longer agrees with config/models.yaml (see ModelsCommand).
 */
public final class Darkroom {

    public static final String CONFIG = "file:config/application.properties";
    static final int EXIT_SOME_FAILED = 3;

    private Darkroom() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("jobs")) {
            listJobs();
            return;
        }
        if (arguments.contains("models")) {
            System.exit(models().run(System.out));
        }
        boolean once = arguments.contains("--once");
        Main main = new Main();
        main.configure().addConfiguration(new DarkroomConfiguration());
        main.setPropertyPlaceholderLocations(CONFIG);
        OnceRun onceRun = null;
        if (once) {
            // nothing more will arrive: a missing reference is missing now
            main.addOverrideProperty("darkroom.intake.missing-reference-grace", "0");
            onceRun = new OnceRun();
            main.addMainListener(onceRun);
        }
        main.run();
        if (onceRun != null) {
            System.out.println(onceRun.summary());
            System.exit(onceRun.allDelivered() ? 0 : EXIT_SOME_FAILED);
        }
    }

    /** {@code darkroom models}: the catalog, and drift between config/models.yaml and Atlas' live schemas. */
    static io.darkroom.provider.schema.ModelsCommand models() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(CONFIG);
            DarkroomConfiguration.Settings settings = new DarkroomConfiguration.Settings(context);
            io.darkroom.plan.ModelCatalog catalog = io.darkroom.plan.ModelCatalog.load(java.nio.file.Path.of("config/models.yaml"));
            String atlasUrl = settings.text("darkroom.providers.atlas.base-url");
            return new io.darkroom.provider.schema.ModelsCommand(catalog, io.darkroom.plan.RoutingTable.load(java.nio.file.Path.of("config/routing.yaml")),
                    io.darkroom.provider.atlas.AtlasSchemaSource.schemas(catalog, atlasUrl, settings.path("darkroom.data"),
                            settings.millis("darkroom.providers.atlas.schema-ttl"), java.time.Clock.systemUTC()), atlasUrl);
        }
    }

    private static void listJobs() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(CONFIG);
            DarkroomConfiguration.Settings settings = new DarkroomConfiguration.Settings(context);
            try (JobLedger ledger = DarkroomConfiguration.ledger(settings, settings.path("darkroom.data"))) {
                ledger.start();
                System.out.printf("%-28s %-14s %-10s %-30s %-8s %s%n", "JOB", "STATE", "USE CASE", "MODEL", "PROVIDER", "ERROR");
                for (Job job : ledger.all(500)) {
                    System.out.printf("%-28s %-14s %-10s %-30s %-8s %s%n", job.getId(), job.getState(),
                            job.getPlan() == null ? "-" : job.getPlan().getUseCase(),
                            job.getPlan() == null ? "-" : job.getPlan().getModel(),
                            job.getProvider() == null ? "-" : job.getProvider(),
                            job.getErrorCode() == null ? "" : job.getErrorCode() + ": " + job.getErrorMessage());
                }
            }
        }
    }
}
