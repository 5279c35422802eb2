package io.darkroom.cli;

import io.darkroom.Darkroom;
import io.darkroom.accept.BatchEstimate;
import io.darkroom.accept.JobAcceptance;
import io.darkroom.plan.BudgetGuard;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what the tickets in the inbox (or the folder given) would do and cost, without sending anything:",
                "each job's use case, model, provider, outputs and estimated cost, the total, and what the budgets would hold back.",
                "Exit code 3 when a ticket would fail validation."})
class PlanCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FOLDER", description = "Folder of tickets and images (default: darkroom.inbox).")
    Path folder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No such folder: " + folder);
        }
        PlanRun run = new PlanRun(folder, System.out);
        Darkroom.runWithoutRoutes(run);
        if (run.failure != null) {
            throw run.failure;
        }
        return run.exitCode;
    }

    /** Runs once Camel Main has built the pipeline's beans (no routes started), then ends the run. */
    static final class PlanRun extends MainListenerSupport {
        private final Path folder;
        private final PrintStream out;
        int exitCode;
        Exception failure;

        PlanRun(Path folder, PrintStream out) {
            this.folder = folder;
            this.out = out;
        }

        @Override
        public void afterStart(BaseMainSupport main) {
            try {
                CamelContext context = main.getCamelContext();
                Path where = folder != null ? folder : Path.of(context.resolvePropertyPlaceholders("{{darkroom.inbox}}"));
                BudgetGuard budget = context.getRegistry().lookupByNameAndType("budgetGuard", BudgetGuard.class);
                BatchEstimate estimate = new BatchEstimate(context.getRegistry().lookupByNameAndType("jobAcceptance", JobAcceptance.class),
                        budget, Clock.systemUTC());
                List<BatchEstimate.Line> lines = estimate.estimate(where.toAbsolutePath().normalize());
                print(where, lines, budget);
                exitCode = lines.stream().anyMatch(BatchEstimate.Line::isInvalid) ? Darkroom.EXIT_SOME_FAILED : 0;
            } catch (Exception e) {
                failure = e;
            } finally {
                ((org.apache.camel.main.Main) main).completed();
            }
        }

        private void print(Path where, List<BatchEstimate.Line> lines, BudgetGuard budget) {
            String row = "%-32s %-10s %-30s %-8s %7s %10s  %s%n";
            out.printf(row, "TICKET", "USE CASE", "MODEL", "PROVIDER", "OUTPUTS", "EST. USD", "NOTE");
            double total = 0;
            int toRun = 0;
            int held = 0;
            int invalid = 0;
            for (BatchEstimate.Line line : lines) {
                if (line.isInvalid()) {
                    invalid++;
                    out.printf(row, line.ticket(), "-", "-", "-", "-", "-", "invalid: " + line.errorCode() + ": " + line.problem());
                    continue;
                }
                String note = "";
                if (line.isHeld()) {
                    held++;
                    note = "held: " + line.problem();
                } else {
                    toRun++;
                    total += line.estimatedUsd();
                }
                out.printf(row, line.ticket(), line.useCase(), line.model(), line.provider(), line.outputs(), usd(line.estimatedUsd()), note);
            }
            out.printf("%nTotal: %s for %d job(s) in %s%n", usd(total), toRun, where);
            out.printf("Held by budget: %d job(s); today's spend so far %s of %s a day%n", held, usd(budget.spentToday()),
                    budget.perDayUsd() > 0 ? usd(budget.perDayUsd()) : "no limit");
            if (invalid > 0) {
                out.printf("Would fail validation: %d ticket(s)%n", invalid);
            }
        }

        private static String usd(double amount) {
            return String.format(Locale.ROOT, "$%.4f", amount);
        }
    }
}
