package io.darkroom.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether a file has stopped changing: same size and modification time as at the previous
 * scan, and not modified for at least the minimum age. A copy still in progress fails one of both.
 */
public class FileStability {

    private record Observation(long size, long modified, long firstSeen) {
    }

    private final Map<Path, Observation> seen = new ConcurrentHashMap<>();
    private final long minAgeMillis;
    private final Clock clock;

    public FileStability(long minAgeMillis, Clock clock) {
        this.minAgeMillis = minAgeMillis;
        this.clock = clock;
    }

    /** Records what the file looks like now and answers whether it looked the same before. */
    public boolean isStable(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException vanished) {
            seen.remove(file);
            return false;
        }
        long now = clock.millis();
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        Observation before = seen.get(file);
        boolean unchanged = before != null && before.size == size && before.modified == modified;
        long firstSeen = unchanged ? before.firstSeen : (before == null ? now : before.firstSeen);
        seen.put(file, new Observation(size, modified, firstSeen));
        return unchanged && now - modified >= minAgeMillis;
    }

    /** When this file was first seen by a scan (now, if never). */
    public long firstSeen(Path file) {
        Observation observation = seen.get(file);
        return observation == null ? clock.millis() : observation.firstSeen;
    }

    /** Forgets files that are gone, so the map does not grow with every file ever dropped. */
    public void retainOnly(Set<Path> present) {
        seen.keySet().retainAll(present);
    }
}
