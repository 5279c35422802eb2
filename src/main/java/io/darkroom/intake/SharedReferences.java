package io.darkroom.intake;

import io.darkroom.job.Job;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Whether an input a finished job leaves behind is still needed by another ticket: a reference
 * that several tickets name stays in the inbox until the last job using it is final, so the others
 * do not fail for a reference the first one took away.
 */
public class SharedReferences implements BiPredicate<Path, Job> {

    private final JobClaims claims;
    private final TicketReader tickets;
    /**
     * What each ticket in a folder names, kept while the ticket stays the same file (time and
     * size): every finished job asks about its folder, which can hold thousands of tickets, and
     * reading them all for each job made the inbox's bookkeeping grow with the square of its size.
     */
    private final Map<Path, Map<Path, Named>> namedByFolder = new ConcurrentHashMap<>();

    private record Named(FileTime modified, long size, Set<String> references) {
    }

    public SharedReferences(JobClaims claims, TicketReader tickets) {
        this.claims = claims;
        this.tickets = tickets;
    }

    /**
     * @param input an input of the finished job
     * @param job the finished job (its own ticket does not count)
     */
    @Override
    public boolean test(Path input, Job job) {
        List<String> jobInputs = job.getInputs();
        if (claims.leave(input)) {
            job.getLeftEarly().add(input.toString());
            return true; // another running job holds it too, and moves it when it ends
        }
        String name = input.getFileName().toString();
        if (TicketReader.isTicketName(name) || TicketReader.isDefaultsName(name)) {
            return false;
        }
        Path folder = input.getParent();
        Map<Path, Named> named = namedByFolder.computeIfAbsent(folder, f -> new ConcurrentHashMap<>());
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(folder, entry -> TicketReader.isTicketName(entry.getFileName().toString()))) {
            for (Path sibling : siblings) {
                BasicFileAttributes attributes = attributes(sibling);
                if (attributes == null || !attributes.isRegularFile()) {
                    continue;
                }
                present.add(sibling);
                if (!jobInputs.contains(sibling.toString()) && references(named, sibling, attributes).contains(name)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        // tickets gone since are forgotten (only a full listing can tell)
        named.keySet().retainAll(present);
        return false;
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException gone) {
            return null;
        }
    }

    /** The names inside the folder this ticket's references give, read again only when the file changed. */
    private Set<String> references(Map<Path, Named> named, Path ticketFile, BasicFileAttributes attributes) {
        Named known = named.get(ticketFile);
        if (known != null && known.modified().equals(attributes.lastModifiedTime()) && known.size() == attributes.size()) {
            return known.references();
        }
        Named read = new Named(attributes.lastModifiedTime(), attributes.size(), names(ticketFile));
        named.put(ticketFile, read);
        return read.references();
    }

    private Set<String> names(Path ticketFile) {
        try {
            Ticket ticket = tickets.read(ticketFile);
            if (ticket.getReferences() == null) {
                return Set.of();
            }
            Set<String> names = new HashSet<>();
            for (String reference : ticket.getReferences()) {
                String inside = reference == null ? null : TicketPairing.insideFolder(reference);
                if (inside != null) {
                    names.add(inside);
                }
            }
            return names;
        } catch (RuntimeException unreadable) {
            return Set.of(); // a broken ticket fails on its own; it does not keep images here
        }
    }
}
