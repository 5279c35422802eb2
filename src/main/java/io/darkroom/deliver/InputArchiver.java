package io.darkroom.deliver;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.job.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a folder job's inputs out of the inbox once its outcome is durable: to done/, failed/ (with
 * an error file that says why) or held/, keeping the sub folder they came from. A name already
 * taken there gets the job id added, so nothing is overwritten.
 */
public class InputArchiver implements SourceArchiver {

    private static final Logger LOG = LoggerFactory.getLogger(InputArchiver.class);

    private final Path inbox;
    private final Map<String, Path> outcomes = new LinkedHashMap<>();
    private final ObjectWriter json = Json.pretty();
    private final Clock clock;

    public InputArchiver(Path inbox, Path done, Path failed, Path held, Clock clock) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.clock = clock;
        outcomes.put("done", done.toAbsolutePath().normalize());
        outcomes.put("failed", failed.toAbsolutePath().normalize());
        outcomes.put("held", held.toAbsolutePath().normalize());
    }

    @Override
    public void done(Job job) throws IOException {
        move(job, "done");
    }

    /** Moves the inputs aside and writes {@code <ticket>.error.json} beside them. */
    @Override
    public void failed(Job job) throws IOException {
        Map<String, Object> error = errorDocument(job, Instant.now(clock));
        String outcome = job.getState() == JobState.HELD ? "held" : "failed";
        Path folder = move(job, outcome);
        Files.createDirectories(folder);
        String name = job.getTicketName() != null ? job.getTicketName()
                : (job.getInputs().isEmpty() ? job.getId() : Path.of(job.getInputs().get(0)).getFileName().toString());
        Path errorFile = folder.resolve(name + ".error.json");
        Path temp = folder.resolve("." + name + ".error.json.tmp");
        Files.write(temp, json.writeValueAsBytes(error));
        moveAtomically(temp, errorFile);
    }

    /** Writes a note (for example "already delivered as job X") next to the archived inputs. */
    @Override
    public void note(Job job, String outcome, Map<String, Object> note) throws IOException {
        Path folder = move(job, outcome);
        Files.createDirectories(folder);
        String name = job.getTicketName() != null ? job.getTicketName() : job.getId();
        Files.write(folder.resolve(name + ".note.json"), json.writeValueAsBytes(note));
    }

    private Path move(Job job, String outcome) throws IOException {
        Path folder = outcomes.get(outcome).resolve(job.getSourceFolder());
        Files.createDirectories(folder);
        List<String> moved = new ArrayList<>();
        for (String input : job.getInputs()) {
            Path source = Path.of(input);
            if (!Files.exists(source) || !source.toAbsolutePath().normalize().startsWith(inbox)) {
                continue;
            }
            Path target = folder.resolve(inbox.resolve(job.getSourceFolder()).relativize(source).toString());
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                target = target.resolveSibling(withJobId(target.getFileName().toString(), job.getId()));
            }
            moveAtomically(source, target);
            moved.add(target.getFileName().toString());
        }
        LOG.info("Job {}: inputs {} moved to {}/", job.getId(), moved, outcome);
        return folder;
    }

    private static String withJobId(String name, String jobId) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "." + jobId + name.substring(dot) : name + "." + jobId;
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException crossDevice) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static Map<String, Object> errorDocument(Job job, Instant at) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", job.getErrorCode() == null ? null : job.getErrorCode().name());
        error.put("message", job.getErrorMessage());
        error.put("hint", job.getErrorCode() == null ? null : job.getErrorCode().hint());
        error.put("job", job.getId());
        error.put("stage", job.getErrorStage());
        error.put("ticket", job.getTicketName());
        error.put("inputs", job.getInputs().stream().map(p -> Path.of(p).getFileName().toString()).toList());
        if (job.getProviderJobId() != null) {
            error.put("providerJobId", job.getProviderJobId());
        }
        error.put("at", at.toString());
        return error;
    }
}
