package io.darkroom.console;

import io.darkroom.job.Job;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator asked for in the console, waiting for the job's inputs to come back through the
 * inbox: a held job released past the budget, a failed job run again even though its input already
 * reached the provider. Kept in memory: after a restart the job is simply held (or recognised) again.
 */
public class OperatorRequests {

    private final Set<Path> released = ConcurrentHashMap.newKeySet();
    private final Set<Path> reruns = ConcurrentHashMap.newKeySet();

    void release(Iterable<Path> inputs) {
        inputs.forEach(input -> released.add(input.toAbsolutePath().normalize()));
    }

    void rerun(Iterable<Path> inputs) {
        inputs.forEach(input -> reruns.add(input.toAbsolutePath().normalize()));
    }

    /** True (once) when an operator released this job's inputs past the budgets. */
    public boolean takeRelease(Job job) {
        return take(released, job);
    }

    /** True (once) when an operator asked to run this job's inputs again. */
    public boolean takeRerun(Job job) {
        return take(reruns, job);
    }

    private static boolean take(Set<Path> requests, Job job) {
        boolean found = false;
        for (String input : job.getInputs()) {
            found |= requests.remove(Path.of(input).toAbsolutePath().normalize());
        }
        return found;
    }
}
