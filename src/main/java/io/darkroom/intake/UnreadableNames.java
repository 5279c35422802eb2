package io.darkroom.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobOutcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files in the inbox whose names are not valid UTF-8. Such a name cannot be read back from its text
 * (Java shows the bad bytes as U+FFFD), so it could never be paired, read or archived by name: it
 * is moved to failed/ at once, renamed with '_' for the bad bytes, with an error file beside it.
 */
public class UnreadableNames {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableNames.class);

    /** For intakes without a failed/ folder: nothing is unreadable. */
    public static final UnreadableNames NONE = new UnreadableNames(null, null, null) {
        @Override
        public boolean isUnreadable(Path file) {
            return false;
        }
    };

    private final Path inbox;
    private final Path failed;
    private final JobOutcomes outcomes;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public UnreadableNames(Path inbox, Path failed, JobOutcomes outcomes) {
        this.inbox = inbox == null ? null : inbox.toAbsolutePath().normalize();
        this.failed = failed == null ? null : failed.toAbsolutePath().normalize();
        this.outcomes = outcomes;
    }

    public boolean isUnreadable(Path file) {
        String name = file.getFileName().toString();
        return name.indexOf('\uFFFD') >= 0 && !Files.exists(file.resolveSibling(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Moves the file (the Path from the listing still holds its raw name) aside and explains why. */
    public void quarantine(Path file) {
        String shown = file.getFileName().toString().replace('\uFFFD', '_');
        Path folder = failed.resolve(inbox.relativize(file.getParent()).toString());
        try {
            Files.createDirectories(folder);
            Path target = folder.resolve(shown);
            for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
                target = folder.resolve(n + "-" + shown);
            }
            Files.move(file, target);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", ErrorCode.FILE_NAME_INVALID.name());
            error.put("message", "The file name '" + shown + "' (bad bytes shown as _) is not valid UTF-8, so Darkroom cannot pair or read it by name."
                    + " It was moved here as " + target.getFileName() + ".");
            error.put("hint", ErrorCode.FILE_NAME_INVALID.hint());
            error.put("stage", "intake");
            error.put("inputs", java.util.List.of(target.getFileName().toString()));
            error.put("at", Instant.now().toString());
            Files.write(folder.resolve(target.getFileName() + ".error.json"), json.writeValueAsBytes(error));
            outcomes.setAsideAtIntake();
            LOG.warn("Inbox file '{}' has a name that is not valid UTF-8: moved to {}", shown, target);
        } catch (IOException e) {
            LOG.error("Inbox file '{}' has a name that is not valid UTF-8 and could not be moved aside: {}", shown, e.getMessage());
        }
    }
}
