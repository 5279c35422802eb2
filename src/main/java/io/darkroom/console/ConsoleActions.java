package io.darkroom.console;

import io.darkroom.deliver.KeptOutputs;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's actions. Each puts a job's inputs back into the inbox (the way every job starts),
 * under their original names, and removes the error file: rerun for a failed job (after its input
 * was fixed where it lies in failed/), release for a held one (which then passes the budgets once),
 * redeliver for a job that failed only at delivery (its paid outputs are kept: the returning input
 * is recognised and those outputs go to the destinations that missed them, without a new request).
 */
public class ConsoleActions {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);

    private final JobLedger ledger;
    private final ArchivedInputs inputs;
    private final OperatorRequests requests;
    private final KeptOutputs kept;
    private final Path inbox;
    private final Path failed;
    private final Path held;

    public ConsoleActions(JobLedger ledger, ArchivedInputs inputs, OperatorRequests requests, KeptOutputs kept, Path inbox,
                          Path failed, Path held) {
        this.ledger = ledger;
        this.inputs = inputs;
        this.requests = requests;
        this.kept = kept;
        this.inbox = inbox.toAbsolutePath().normalize();
        this.failed = failed.toAbsolutePath().normalize();
        this.held = held.toAbsolutePath().normalize();
    }

    /** Runs a failed (or lost-answer) job again from its inputs in failed/; a message for the operator. */
    public String rerun(String jobId) throws IOException {
        Job job = ledger.find(jobId);
        if (job == null || (job.getState() != JobState.FAILED && job.getState() != JobState.SUBMIT_UNKNOWN)) {
            throw new ConsoleRefusal(409, "Job " + jobId + " is not failed: only a failed job can be run again.");
        }
        // its input may have reached the provider already: the operator asks for it to be sent anyway
        List<Path> back = putBack(job, failed, requests::rerun);
        LOG.info("Job {}: run again from the console, inputs {} back in the inbox", jobId, back);
        return "Job " + jobId + " runs again as a new job.";
    }

    /** Lets a held job pass the budgets once, from its inputs in held/. */
    public String release(String jobId) throws IOException {
        Job job = ledger.find(jobId);
        if (job == null || job.getState() != JobState.HELD) {
            throw new ConsoleRefusal(409, "Job " + jobId + " is not held: only a held job can be released.");
        }
        List<Path> back = putBack(job, held, requests::release);
        LOG.info("Job {}: released past the budget from the console, inputs {} back in the inbox", jobId, back);
        return "Job " + jobId + " was released and runs as a new job.";
    }

    /** Delivers a DELIVERY_FAILED job's kept outputs again (fix the destinations first); nothing is paid again. */
    public String redeliver(String jobId) throws IOException {
        Job job = ledger.find(jobId);
        if (job == null || job.getState() != JobState.FAILED || job.getErrorCode() != ErrorCode.DELIVERY_FAILED) {
            throw new ConsoleRefusal(409, "Job " + jobId + " did not fail at delivery: only such a job can be redelivered.");
        }
        if (!kept.hasAll(job)) {
            throw new ConsoleRefusal(409, "The outputs of job " + jobId + " are no longer kept: rerun it instead (the provider is paid again).");
        }
        // no operator request: the returning input is the same paid request, which accept recognises and redelivers
        List<Path> back = putBack(job, failed, paths -> { });
        LOG.info("Job {}: redelivery asked from the console, inputs {} back in the inbox", jobId, back);
        return "Job " + jobId + " is delivered again from its kept outputs.";
    }

    /** Where the browser goes after an action: the console, with the outcome as a message. */
    public String back(String message) {
        return "/?message=" + java.net.URLEncoder.encode(message == null ? "" : message, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Moves the job's inputs from the archive back to the inbox; the request is recorded before they appear there. */
    private List<Path> putBack(Job job, Path archive, java.util.function.Consumer<List<Path>> request) throws IOException {
        if (!"folder".equals(job.getSource())) {
            throw new ConsoleRefusal(409, "Job " + job.getId() + " came from " + job.getSource()
                    + ": drop its inputs there again (the console moves only inbox folder jobs).");
        }
        List<Path> found = inputs.inArchive(job, archive);
        if (found.isEmpty()) {
            throw new ConsoleRefusal(409, "The inputs of job " + job.getId() + " are no longer in " + archive + ".");
        }
        Path archiveFolder = archive.resolve(job.getSourceFolder());
        String ticket = job.getTicketName() != null ? job.getTicketName() : found.get(0).getFileName().toString();
        Files.deleteIfExists(archiveFolder.resolve(ticket + ".error.json"));
        List<Path> back = new ArrayList<>();
        for (String input : job.getInputs()) {
            Path original = Path.of(input).toAbsolutePath().normalize();
            if (!original.startsWith(inbox)) {
                continue;
            }
            Path now = inputs.locate(job, input);
            if (now == null || !now.startsWith(archive)) {
                continue;
            }
            if (Files.exists(original)) {
                throw new ConsoleRefusal(409, original.getFileName() + " is in the inbox again already.");
            }
            Files.createDirectories(original.getParent());
            // hidden while moving, so the inbox scan never sees half a job
            back.add(original);
            Path hidden = original.resolveSibling("." + original.getFileName() + ".back");
            move(now, hidden);
        }
        request.accept(back);
        for (Path original : back) {
            move(original.resolveSibling("." + original.getFileName() + ".back"), original);
        }
        return back;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            Files.move(from, to);
        }
    }

    /** An action the console cannot do, with the HTTP status and the sentence to show. */
    public static class ConsoleRefusal extends RuntimeException {
        private final int status;

        public ConsoleRefusal(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
