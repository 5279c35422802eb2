package io.darkroom;

import io.darkroom.cli.DarkroomCommand;
import io.darkroom.cli.OnceProgress;
import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import io.darkroom.console.ConsoleConfiguration;
import io.darkroom.observe.ObserveConfiguration;
import io.darkroom.wiring.AcceptConfiguration;
import io.darkroom.wiring.BrokerConfiguration;
import io.darkroom.wiring.DeliveryConfiguration;
import io.darkroom.wiring.Folders;
import io.darkroom.wiring.IntakeConfiguration;
import io.darkroom.wiring.LedgerConfiguration;
import io.darkroom.wiring.ProviderConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;
import org.apache.camel.spi.PropertiesComponent;

import java.util.List;
import java.util.Map;

/**
 * Starts Darkroom. The command line ({@link DarkroomCommand}) decides what runs: the daemon,
 * {@code --once}, {@code jobs}, {@code plan} or {@code models}; this class runs Camel Main for them.
 */
public final class Darkroom {

    public static final String CONFIG = "file:config/application.properties";
    public static final int EXIT_SOME_FAILED = 3;
    public static final int EXIT_CANNOT_START = 2;

    private Darkroom() {
    }

    public static void main(String[] args) {
        System.exit(DarkroomCommand.execute(args));
    }

    /** Camel Main with Darkroom's configuration and config/application.properties. */
    public static Main newMain() {
        Main main = new Main();
        configurations().forEach(main.configure()::addConfiguration);
        main.setPropertyPlaceholderLocations(CONFIG);
        return main;
    }

    /** The daemon: watches the inbox until stopped. */
    public static int runDaemon() throws Exception {
        return runExplained(newMain()) ? 0 : EXIT_CANNOT_START;
    }

    /**
     * Runs Camel Main; a start-up problem Darkroom explains itself (a damaged ledger, an inbox another
     * instance holds) is printed as its sentence, not a stack trace, and gives false.
     */
    private static boolean runExplained(Main main) throws Exception {
        try {
            main.run();
            return true;
        } catch (Exception e) {
            String explained = explanation(e);
            if (explained == null) {
                throw e;
            }
            System.err.println("darkroom: cannot start: " + explained);
            return false;
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

    /**
     * Processes what is in the inbox now: 0 when every job was delivered, 3 when any failed or was
     * held. A progress bar on a terminal, plain progress lines otherwise.
     */
    public static int runOnce(boolean terminal) throws Exception {
        Main main = newMain();
        // nothing more will arrive: a missing reference is missing now
        main.addOverrideProperty("darkroom.intake.missing-reference-grace", "0");
        // a run that ends by itself shows a progress bar, not a console: and it never competes for
        // the daemon's port, so --once works beside a running daemon
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        OnceRun onceRun = new OnceRun();
        main.addMainListener(onceRun);
        main.addMainListener(new OnceProgress(terminal ? System.err : null));
        if (!runExplained(main)) {
            return EXIT_CANNOT_START;
        }
        System.out.println(onceRun.summary());
        return onceRun.allDelivered() ? 0 : EXIT_SOME_FAILED;
    }

    /** Starts Camel Main without routes or HTTP server: beans only, for commands that read. */
    public static void runWithoutRoutes(MainListener work) throws Exception {
        Main main = newMain();
        main.addOverrideProperty("camel.main.routes-collector-enabled", "false");
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("camel.metrics.enabled", "false");
        main.addMainListener(work);
        main.run();
    }

    /**
     * The wiring by concern, in the order each needs the one before (folders and ledger first); the
     * operators' view (health, metrics, console) watches the pipeline's beans, so it comes last.
     */
    public static List<CamelConfiguration> configurations() {
        return List.of(new LedgerConfiguration(), new BrokerConfiguration(), new ProviderConfiguration(), new IntakeConfiguration(), new AcceptConfiguration(),
                new DeliveryConfiguration(), new ObserveConfiguration(), new ConsoleConfiguration());
    }

    public static int listJobs() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(CONFIG);
            PropertiesComponent properties = context.getPropertiesComponent();
            JobLedger ledger = LedgerConfiguration.open(properties.resolveProperty("darkroom.ledger.url").orElse(""),
                    properties.resolveProperty("darkroom.ledger.user").orElse(""),
                    properties.resolveProperty("darkroom.ledger.password").orElse(""),
                    Folders.path(properties.resolveProperty("darkroom.data").orElse("data")));
            try (ledger) {
                ledger.start();
                System.out.printf("%-28s %-14s %-10s %-30s %-8s %-24s %s%n", "JOB", "STATE", "USE CASE", "MODEL", "PROVIDER", "NODE", "ERROR");
                for (Job job : ledger.all(500)) {
                    System.out.printf("%-28s %-14s %-10s %-30s %-8s %-24s %s%n", job.getId(), job.getState(),
                            job.getPlan() == null ? "-" : job.getPlan().getUseCase(),
                            job.getPlan() == null ? "-" : job.getPlan().getModel(),
                            job.getProvider() == null ? "-" : job.getProvider(),
                            job.getNode() == null ? "-" : job.getNode(),
                            job.getErrorCode() == null ? "" : job.getErrorCode() + ": " + job.getErrorMessage());
                }
                Map<String, Integer> limits = ledger.learnedLimits();
                if (!limits.isEmpty()) {
                    System.out.println();
                    limits.forEach((provider, limit) -> System.out.printf("%s: in-flight limit learned %d%n", provider, limit));
                }
            }
        }
        return 0;
    }
}
