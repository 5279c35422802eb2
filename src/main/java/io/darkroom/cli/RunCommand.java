package io.darkroom.cli;

import io.darkroom.Darkroom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the pipeline: the daemon (the default when no command is given), or --once.",
                "The daemon resumes unfinished jobs from the ledger at start and serves the console,",
                "/observe/health and /observe/metrics on camel.server.host:camel.server.port."})
class RunCommand implements Callable<Integer> {

    @Option(names = "--once", description = "Process what is in the inbox now, wait until every job is final, then exit "
            + "(0: all delivered, 3: any failed or held).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        return once ? Darkroom.runOnce(OnceProgress.isTerminal()) : Darkroom.runDaemon();
    }
}
