package io.darkroom.intake;

import org.apache.camel.Service;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-node mode: one Darkroom per inbox and per data folder. Two instances on one inbox would
 * each start every job (and pay twice); two on one data folder would share a ledger they both think
 * is theirs. An operating-system lock on {@code .darkroom.lock} in each folder (hidden, so never
 * read as input) is taken at start and held until stop; it goes with the process, even on kill -9.
 */
public class InboxLock implements Service {

    static final String FILE = ".darkroom.lock";

    private final List<FileChannel> channels = new ArrayList<>();
    private final List<FileLock> locks = new ArrayList<>();

    private InboxLock() {
    }

    /**
     * @param inbox null in cluster mode, where nodes share the inbox and the ledger decides who takes each input
     * @throws IllegalStateException naming the other instance when either folder is held
     */
    public static InboxLock acquire(Path inbox, Path data) throws IOException {
        InboxLock lock = new InboxLock();
        try {
            if (inbox != null) {
                lock.take(inbox, "inbox");
            }
            lock.take(data, "data folder");
        } catch (RuntimeException | IOException e) {
            lock.stop();
            throw e;
        }
        return lock;
    }

    private void take(Path folder, String what) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IllegalStateException("The " + what + " " + folder + " is in use by another Darkroom instance ("
                    + (holder.isEmpty() ? "unknown" : holder) + "). Darkroom runs in single-node mode: one instance per inbox and data folder. "
                    + "Stop the other instance, or give this one its own inbox and data folder (darkroom.inbox, darkroom.data); "
                    + "several instances share one inbox only in cluster mode (darkroom.cluster.enabled, with a PostgreSQL ledger).");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(describeThisInstance(folder).getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        channels.add(channel);
        locks.add(lock);
    }

    private static String describeThisInstance(Path folder) {
        String host = io.darkroom.ledger.NodeName.host();
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", working directory " + Path.of("").toAbsolutePath()
                + ", started " + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    @Override
    public void start() {
    }

    @Override
    public synchronized void stop() {
        for (FileLock lock : locks) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel is closed next, which releases the lock anyway
            }
        }
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
        // the file stays (deleting it could let a starting instance lock a file no longer there); only a held lock counts
        locks.clear();
        channels.clear();
    }
}
