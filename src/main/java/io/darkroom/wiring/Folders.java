package io.darkroom.wiring;

import io.darkroom.deliver.OutboxTidy;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Darkroom's folders (inbox, outbox, done, failed, held, data). Started first with the context:
 * creates the missing ones and removes the partial files a crash left in the outbox, before the
 * ledger opens and before any route runs.
 */
public class Folders extends ServiceSupport {

    private final Path inbox;
    private final Path outbox;
    private final Path done;
    private final Path failed;
    private final Path held;
    private final Path data;
    private boolean sharedOutbox;

    public Folders(String inbox, String outbox, String done, String failed, String held, String data) {
        this.inbox = path(inbox);
        this.outbox = path(outbox);
        this.done = path(done);
        this.failed = path(failed);
        this.held = path(held);
        this.data = path(data);
    }

    /** A configured folder, relative to the working directory unless absolute. */
    public static Path path(String configured) {
        return Path.of(configured.trim()).toAbsolutePath().normalize();
    }

    @Override
    protected void doStart() throws Exception {
        for (Path folder : List.of(inbox, outbox, done, failed, held, data)) {
            Files.createDirectories(folder);
        }
        if (!sharedOutbox) {
            new OutboxTidy(outbox).removeLeftovers();
        }
    }

    /**
     * Cluster mode: other nodes write into the outbox while this one starts, so their partial files
     * are not touched here; the node that takes over a job removes that job's (take-over-expired-leases).
     */
    public void setSharedOutbox(boolean shared) {
        this.sharedOutbox = shared;
    }

    public Path inbox() { return inbox; }
    public Path outbox() { return outbox; }
    public Path done() { return done; }
    public Path failed() { return failed; }
    public Path held() { return held; }
    public Path data() { return data; }
}
