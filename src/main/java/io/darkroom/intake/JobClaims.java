package io.darkroom.intake;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The input files of jobs in progress; a claimed file is not picked up again until released. */
public class JobClaims {

    private final Set<Path> claimed = ConcurrentHashMap.newKeySet();

    public void claim(Path file) {
        claimed.add(file.toAbsolutePath().normalize());
    }

    public boolean isClaimed(Path file) {
        return claimed.contains(file.toAbsolutePath().normalize());
    }

    public void release(Iterable<String> files) {
        for (String file : files) {
            claimed.remove(Path.of(file).toAbsolutePath().normalize());
        }
    }

    public int size() {
        return claimed.size();
    }
}
