package io.darkroom.cli;

import io.darkroom.Darkroom;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List the jobs of the ledger, newest first, with their state, model and error.")
class JobsCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return Darkroom.listJobs();
    }
}
