package io.darkroom.deliver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes the temporary files a crash can leave behind in the outbox (outputs are written as
 * {@code .tmp-<name>} and renamed when complete). Runs at start-up, before any delivery; the job
 * they belonged to is delivered again from the ledger.
 */
public class OutboxTidy {

    public static final String TEMP_PREFIX = ".tmp-";
    private static final Logger LOG = LoggerFactory.getLogger(OutboxTidy.class);

    private final Path outbox;

    public OutboxTidy(Path outbox) {
        this.outbox = outbox;
    }

    public int removeLeftovers() throws IOException {
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> files = Files.walk(outbox)) {
            leftovers = files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isRegularFile(p)).toList();
        }
        for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
        }
        if (!leftovers.isEmpty()) {
            LOG.info("Removed {} partial file(s) an earlier run left in the outbox", leftovers.size());
        }
        return leftovers.size();
    }
}
