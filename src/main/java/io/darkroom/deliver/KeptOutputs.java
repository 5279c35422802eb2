package io.darkroom.deliver;

import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.ledger.JobLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a job's downloaded results under {@code <data>/outputs/<job>/} from the moment they are in
 * hand until every destination has them. A result was paid for: a destination that cannot be
 * written must not lose it, and a redelivery reads it from here instead of calling the provider.
 */
public class KeptOutputs {

    private static final Logger LOG = LoggerFactory.getLogger(KeptOutputs.class);

    private final Path root;
    private final OutputFiles outputFiles;
    private final JobLedger ledger;

    public KeptOutputs(Path root, OutputFiles outputFiles, JobLedger ledger) {
        this.root = root.toAbsolutePath().normalize();
        this.outputFiles = outputFiles;
        this.ledger = ledger;
    }

    /** Writes every result still only in memory to disk and records where, in the ledger, before delivery starts. */
    public Job keep(Job job) throws IOException {
        outputFiles.describe(job);
        Path folder = folder(job);
        boolean wrote = false;
        for (JobOutput output : job.getOutputs()) {
            if (output.getKeptPath() != null && Files.isRegularFile(Path.of(output.getKeptPath()))) {
                continue;
            }
            Files.createDirectories(folder);
            Path file = folder.resolve(output.getFileName());
            Path temp = folder.resolve("." + output.getFileName() + ".tmp");
            Files.write(temp, output.getBytes());
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            output.setKeptPath(file.toString());
            // from here on the bytes are read back from disk when a destination needs them
            output.setBytes(null);
            wrote = true;
        }
        if (wrote) {
            ledger.record(job);
        }
        return job;
    }

    /** True when every result of the job is still on disk, so it can be delivered again without the provider. */
    public boolean hasAll(Job job) {
        return !job.getOutputs().isEmpty() && job.getOutputs().stream()
                .allMatch(o -> o.getKeptPath() != null && Files.isRegularFile(Path.of(o.getKeptPath())));
    }

    /** The paths of the kept results, for error files and notes. */
    public static List<String> paths(Job job) {
        return job.getOutputs().stream().map(JobOutput::getKeptPath).filter(p -> p != null).toList();
    }

    /** Every destination has the results: the kept copies go. */
    public void release(Job job) throws IOException {
        Path folder = folder(job);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        LOG.debug("Job {}: kept outputs released", job.getId());
    }

    private Path folder(Job job) {
        return root.resolve(job.getId());
    }
}
