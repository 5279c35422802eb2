package io.darkroom.intake;

import io.darkroom.job.JobFailure;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code _defaults.yaml} that applies to a folder: its own, else the nearest one above it
 * inside the inbox. A broken defaults file fails every job of the folder with the reason.
 */
public record FolderDefaults(Path file, Ticket ticket, JobFailure failure) {

    private static final String[] NAMES = {"_defaults.yaml", "_defaults.yml", "_defaults.json"};

    public static FolderDefaults find(Path dir, Path inbox, TicketReader reader) {
        for (Path current = dir; current != null && current.startsWith(inbox); current = current.getParent()) {
            for (String name : NAMES) {
                Path candidate = current.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    try {
                        return new FolderDefaults(candidate, reader.read(candidate), null);
                    } catch (JobFailure failure) {
                        return new FolderDefaults(candidate, null, failure);
                    }
                }
            }
        }
        return new FolderDefaults(null, null, null);
    }

    public boolean exists() {
        return file != null;
    }
}
