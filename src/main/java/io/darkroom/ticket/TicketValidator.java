package io.darkroom.ticket;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;

import java.util.Set;
import java.util.regex.Pattern;

/** Checks a ticket (after folder defaults were applied) field by field, naming the field at fault. */
public class TicketValidator {

    private static final Set<String> USE_CASES = Set.of("text", "character", "brand", "variants", "hero", "fast", "auto");
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg", "webp");
    private static final Pattern SIZE = Pattern.compile("\\d{2,5}x\\d{2,5}");
    private static final Pattern ASPECT = Pattern.compile("\\d{1,2}:\\d{1,2}");

    /** Bounds of each side of an explicit size: refused here, before any spend, rather than by the provider after the submit. */
    static final int MIN_SIDE = 64;
    static final int MAX_SIDE = 8192;

    private final int maxVariants;
    private final int maxPromptChars;

    public TicketValidator(int maxVariants, int maxPromptChars) {
        this.maxVariants = maxVariants;
        this.maxPromptChars = maxPromptChars;
    }

    public void check(Ticket ticket, String ticketName) {
        String where = ticketName == null ? "The folder defaults" : "Ticket " + ticketName;
        if (ticket.getPrompt() == null || ticket.getPrompt().isBlank()) {
            throw new JobFailure(ErrorCode.PROMPT_MISSING, where + " has no prompt.");
        }
        if (ticket.getPrompt().length() > maxPromptChars) {
            throw invalid(where, "prompt", "is " + ticket.getPrompt().length() + " characters long; the limit is " + maxPromptChars);
        }
        if (ticket.getText() != null && ticket.getText().length() > maxPromptChars) {
            throw invalid(where, "text", "is " + ticket.getText().length() + " characters long; the limit is " + maxPromptChars);
        }
        for (String[] field : new String[][] {{"prompt", ticket.getPrompt()}, {"text", ticket.getText()}}) {
            String forbidden = field[1] == null ? null : TicketText.firstForbidden(field[1]);
            if (forbidden != null) {
                throw invalid(where, field[0], "holds " + forbidden + "; remove it (copying from some programs adds these unseen)");
            }
        }
        if (ticket.getUseCase() != null && !USE_CASES.contains(ticket.getUseCase())) {
            throw new JobFailure(ErrorCode.USE_CASE_UNKNOWN,
                    where + ": useCase '" + ticket.getUseCase() + "' is not one of " + String.join(", ", USE_CASES.stream().sorted().toList()) + ".");
        }
        if (ticket.getVariants() != null && (ticket.getVariants() < 1 || ticket.getVariants() > maxVariants)) {
            throw invalid(where, "variants", "must be between 1 and " + maxVariants + ", not " + ticket.getVariants());
        }
        if (ticket.getOutputFormat() != null && !FORMATS.contains(ticket.getOutputFormat())) {
            throw invalid(where, "outputFormat", "must be png, jpeg or webp, not '" + ticket.getOutputFormat() + "'");
        }
        if (ticket.getSize() != null && !SIZE.matcher(ticket.getSize()).matches()) {
            throw invalid(where, "size", "must look like 1024x1024, not '" + ticket.getSize() + "'");
        }
        if (ticket.getSize() != null) {
            String[] sides = ticket.getSize().split("x");
            int width = Integer.parseInt(sides[0]);
            int height = Integer.parseInt(sides[1]);
            if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
                throw invalid(where, "size", "must have each side between " + MIN_SIDE + " and " + MAX_SIDE + " pixels, not '" + ticket.getSize() + "'");
            }
        }
        if (ticket.getAspectRatio() != null && !ASPECT.matcher(ticket.getAspectRatio()).matches()) {
            throw invalid(where, "aspectRatio", "must look like 16:9, not '" + ticket.getAspectRatio() + "'");
        }
        if (ticket.getAspectRatio() != null && (Integer.parseInt(ticket.getAspectRatio().split(":")[0]) < 1 || Integer.parseInt(ticket.getAspectRatio().split(":")[1]) < 1)) {
            throw invalid(where, "aspectRatio", "must have two sides of at least 1, not '" + ticket.getAspectRatio() + "'");
        }
        if (ticket.getSize() != null && ticket.getAspectRatio() != null) {
            throw invalid(where, "size", "and aspectRatio cannot both be given; choose one");
        }
        if (ticket.getBudgetUsd() != null && !(ticket.getBudgetUsd() > 0)) {
            throw invalid(where, "budgetUsd", "must be a positive amount in US dollars");
        }
        if (ticket.getReferences() != null) {
            for (String reference : ticket.getReferences()) {
                if (reference == null || reference.isBlank()) {
                    throw invalid(where, "references", "holds an empty name");
                }
            }
        }
        if (ticket.getDestinations() != null) {
            for (String destination : ticket.getDestinations()) {
                if (destination == null || destination.isBlank()) {
                    throw invalid(where, "destinations", "holds an empty destination");
                }
            }
        }
    }

    /** One of the use cases a ticket (or a mail's [tag]) may name. */
    public static boolean isUseCase(String name) {
        return name != null && USE_CASES.contains(name);
    }

    private static JobFailure invalid(String where, String field, String reason) {
        return new JobFailure(ErrorCode.TICKET_INVALID, where + ": field '" + field + "' " + reason + ".");
    }
}
