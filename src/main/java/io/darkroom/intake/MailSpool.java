package io.darkroom.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.job.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a mail's prompt and attachments wait while their job runs: one folder per mail with the
 * files and {@code job.json}, the job as it left the intake. The mailbox marks a mail seen as soon
 * as it is handed over, so this folder is what survives a stop: at start-up, a folder whose job is
 * not being resumed from the ledger starts again as a new job. It is removed once the job ended.
 */
public class MailSpool {

    private static final Logger LOG = LoggerFactory.getLogger(MailSpool.class);
    private static final String JOB_FILE = "job.json";

    private final Path root;
    private final JobClaims claims;
    private final ObjectMapper json = Json.MAPPER;
    /** Taken before any mail is read in this run, so a folder being written now is never mistaken for a leftover. */
    private final List<Path> leftovers;

    public MailSpool(Path root, JobClaims claims) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.claims = claims;
        if (Files.isDirectory(this.root)) {
            try (Stream<Path> list = Files.list(this.root)) {
                leftovers = new ArrayList<>(list.filter(Files::isDirectory).sorted().toList());
            }
        } else {
            leftovers = new ArrayList<>();
        }
    }

    public Path newFolder(String jobId) throws IOException {
        Path folder = root.resolve(jobId);
        Files.createDirectories(folder);
        return folder;
    }

    /** Written last: a folder without it was left half-written, and its mail is still unseen. */
    public void save(Job job) throws IOException {
        Path folder = folderOf(job);
        Path temp = folder.resolve("." + JOB_FILE + ".tmp");
        Files.write(temp, json.writeValueAsBytes(job));
        Files.move(temp, folder.resolve(JOB_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path folderOf(Job job) {
        return Path.of(job.getOrigin().get("spool"));
    }

    /** The mail jobs an earlier run left unfinished and the ledger does not resume; once, at start-up. */
    public synchronized List<Job> resume() throws IOException {
        List<Job> jobs = new ArrayList<>();
        for (Path folder : leftovers) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            Path file = folder.resolve(JOB_FILE);
            if (!Files.isRegularFile(file)) {
                delete(folder);
                continue;
            }
            Job earlier = json.readValue(file.toFile(), Job.class);
            if (earlier.getInputs().stream().anyMatch(input -> claims.isClaimed(Path.of(input)))) {
                continue;
            }
            Job job = json.readValue(file.toFile(), Job.class);
            String id = earlier.getId();
            job.setId(JobIds.next(id.contains("-") ? id.substring(0, id.lastIndexOf('-')) : id));
            job.setState(JobState.RECEIVED);
            job.getInputs().forEach(input -> claims.claim(Path.of(input)));
            save(job);
            LOG.info("Mail from {} (job {}) was interrupted by a stop; it runs again as job {}",
                    job.getOrigin().get("sender"), id, job.getId());
            jobs.add(job);
        }
        leftovers.clear();
        return jobs;
    }

    public void remove(Job job) throws IOException {
        String spool = job.getOrigin().get("spool");
        if (spool != null && Path.of(spool).toAbsolutePath().normalize().startsWith(root)) {
            delete(Path.of(spool));
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
