package io.darkroom.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The input files of jobs in progress; a claimed file is not picked up again until released. A
 * file is known by its path and, on disk, by its identity (device and inode), so renaming a ticket
 * while its job runs does not make it look like a new one.
 */
public class JobClaims {

    /** How many jobs in progress hold each file: a reference may be shared by several tickets. */
    private final Map<Path, Integer> claimed = new ConcurrentHashMap<>();
    private final Map<Path, Object> identities = new ConcurrentHashMap<>();
    private final Set<Object> claimedIdentities = ConcurrentHashMap.newKeySet();

    public synchronized void claim(Path file) {
        Path path = file.toAbsolutePath().normalize();
        claimed.merge(path, 1, Integer::sum);
        Object identity = identity(path);
        if (identity != null) {
            identities.put(path, identity);
            claimedIdentities.add(identity);
        }
    }

    public boolean isClaimed(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (claimed.containsKey(path)) {
            return true;
        }
        Object identity = claimedIdentities.isEmpty() ? null : identity(path);
        return identity != null && claimedIdentities.contains(identity);
    }

    /** The identity of a claimed file as text (for the ledger), or null when the file system has none. */
    public String identityOf(Path file) {
        Object identity = identities.get(file.toAbsolutePath().normalize());
        return identity == null ? null : identity.toString();
    }

    public synchronized void release(Iterable<String> files) {
        for (String file : files) {
            Path path = Path.of(file).toAbsolutePath().normalize();
            Integer left = claimed.computeIfPresent(path, (p, count) -> count > 1 ? count - 1 : null);
            if (left == null) {
                Object identity = identities.remove(path);
                if (identity != null) {
                    claimedIdentities.remove(identity);
                }
            }
        }
    }

    /**
     * One of the jobs holding a shared file lets go of it as it ends: true when others still hold
     * it (they move it later), false when this was the last (the caller moves it). Atomic, so of
     * several jobs ending together exactly one is the last.
     */
    public synchronized boolean leave(Path file) {
        Path path = file.toAbsolutePath().normalize();
        Integer count = claimed.get(path);
        if (count == null || count <= 1) {
            return false;
        }
        claimed.put(path, count - 1);
        return true;
    }

    /** How many jobs in progress hold this file. */
    public int claimCount(Path file) {
        return claimed.getOrDefault(file.toAbsolutePath().normalize(), 0);
    }

    public int size() {
        return claimed.size();
    }

    /** Device and inode where the file system has them (null elsewhere, e.g. for mail and bucket inputs). */
    static Object identity(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
