package io.darkroom.intake;

import io.darkroom.job.Job;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Whether an input a finished job leaves behind is still needed by another ticket: a reference
 * that several tickets name stays in the inbox until the last job using it is final, so the others
 * do not fail for a reference the first one took away.
 */
public class SharedReferences implements BiPredicate<Path, Job> {

    private final JobClaims claims;
    private final TicketReader tickets;

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
        try (Stream<Path> siblings = Files.list(input.getParent())) {
            for (Path sibling : siblings.toList()) {
                String siblingName = sibling.getFileName().toString();
                if (!TicketReader.isTicketName(siblingName) || jobInputs.contains(sibling.toString()) || !Files.isRegularFile(sibling)) {
                    continue;
                }
                if (names(sibling, name)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private boolean names(Path ticketFile, String reference) {
        try {
            Ticket ticket = tickets.read(ticketFile);
            return ticket.getReferences() != null && ticket.getReferences().stream()
                    .anyMatch(r -> r != null && reference.equals(TicketPairing.insideFolder(r)));
        } catch (RuntimeException unreadable) {
            return false; // a broken ticket fails on its own; it does not keep images here
        }
    }
}
