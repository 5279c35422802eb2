package io.darkroom.console;

import io.darkroom.job.Job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a folder job's input files are now: still in the inbox, or moved to done/, failed/ or
 * held/ under the same sub folder (with the job id added to the name when it was taken).
 */
public class ArchivedInputs {

    private final Path inbox;
    private final List<Path> archives;

    public ArchivedInputs(Path inbox, Path done, Path failed, Path held) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.archives = List.of(done, failed, held);
    }

    /** The file an input of the job is in now, or null when it is nowhere to be found. */
    public Path locate(Job job, String input) {
        Path original = Path.of(input).toAbsolutePath().normalize();
        if (!"folder".equals(job.getSource()) || !original.startsWith(inbox)) {
            return null;
        }
        for (Path candidate : candidates(job, original, archives)) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Files.isRegularFile(original) ? original : null;
    }

    /** Where the inputs of a job that ended in this archive folder (failed/ or held/) are now. */
    public List<Path> inArchive(Job job, Path archive) {
        List<Path> found = new ArrayList<>();
        for (String input : job.getInputs()) {
            Path original = Path.of(input).toAbsolutePath().normalize();
            for (Path candidate : candidates(job, original, List.of(archive))) {
                if (Files.isRegularFile(candidate)) {
                    found.add(candidate);
                    break;
                }
            }
        }
        return found;
    }

    private List<Path> candidates(Job job, Path original, List<Path> folders) {
        String relative = inbox.resolve(job.getSourceFolder()).relativize(original).toString();
        List<Path> candidates = new ArrayList<>();
        for (Path folder : folders) {
            Path plain = folder.toAbsolutePath().normalize().resolve(job.getSourceFolder()).resolve(relative);
            candidates.add(plain.resolveSibling(withJobId(plain.getFileName().toString(), job.getId())));
            candidates.add(plain);
        }
        return candidates;
    }

    static String withJobId(String name, String jobId) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "." + jobId + name.substring(dot) : name + "." + jobId;
    }
}
