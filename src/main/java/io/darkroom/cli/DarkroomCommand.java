package io.darkroom.cli;

import io.darkroom.Darkroom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The command line. With no command Darkroom runs as a daemon; an unknown command or option prints
 * the usage and exits 2 before anything starts (no folder created, no Camel).
 */
@Command(name = "darkroom", mixinStandardHelpOptions = true, version = "Darkroom 0.1",
        description = {"Reference image + prompt in, hosted image-model results out.",
                "Without a command: the daemon, watching the inbox until stopped.",
                "Reads config/ and routes/ from the working directory."},
        subcommands = {RunCommand.class, JobsCommand.class, PlanCommand.class, ModelsCheckCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (--once: every job delivered)", "1:models: a provider's schema no longer agrees with the catalog",
                "2:unknown command or option; Darkroom cannot start (the reason is printed)",
                "3:--once: a job failed or was held; plan: a ticket would fail validation"})
public class DarkroomCommand implements Callable<Integer> {

    @Option(names = "--once", description = "Process what is in the inbox now, wait until every job is final, then exit.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        return once ? Darkroom.runOnce(OnceProgress.isTerminal()) : Darkroom.runDaemon();
    }

    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new DarkroomCommand());
        // a typo gets the message, the closest commands, and the whole usage: never a silent start
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            PrintWriter err = problem.getCommandLine().getErr();
            err.println(problem.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(problem, err);
            err.println();
            problem.getCommandLine().usage(err);
            return problem.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine.execute(args);
    }
}
