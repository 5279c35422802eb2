package io.darkroom.intake;

import io.darkroom.job.JobFailure;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code _defaults.yaml} that applies to a folder: its own, else the nearest one above it
 * inside the intake root. A broken defaults file fails every job of the folder with the reason.
 * {@code location} says where it was read from (a file, an object key); null when there is none.
 */
public record FolderDefaults(String location, Ticket ticket, JobFailure failure) {

    public static final String[] NAMES = {"_defaults.yaml", "_defaults.yml", "_defaults.json"};

    public static FolderDefaults none() {
        return new FolderDefaults(null, null, null);
    }

    public static FolderDefaults find(Path dir, Path inbox, TicketReader reader) {
        for (Path current = dir; current != null && current.startsWith(inbox); current = current.getParent()) {
            for (String name : NAMES) {
                Path candidate = current.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    try {
                        return new FolderDefaults(candidate.toString(), reader.read(candidate), null);
                    } catch (JobFailure failure) {
                        return new FolderDefaults(candidate.toString(), null, failure);
                    }
                }
            }
        }
        return none();
    }

    public boolean exists() {
        return location != null;
    }
}
