package io.darkroom.intake;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pairing rules of a drop location (README, "Tickets"), on the names in one folder, whatever
 * holds it: a disk folder or a key prefix in a bucket. A ticket pairs with the images of its stem
 * or names its references; folder defaults apply to tickets and to bare images; a ticket waits for
 * references that are missing or still arriving, and fails once the grace for missing ones is over.
 */
public class TicketPairing {

    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff", "heic", "heif", "avif");

    /** One folder as the rules see it. Names are relative to the folder, with '/' between parts. */
    public interface Folder {
        /** The files directly in this folder (not in sub folders). */
        List<String> names();

        boolean exists(String name);

        /** Present and no longer changing; may record an observation for the next scan. */
        boolean isStable(String name);

        /** Part of a job in progress, so not to be started again. */
        boolean isClaimed(String name);

        /** When a scan first saw this file, in epoch milliseconds. */
        long firstSeen(String name);

        /** @throws JobFailure when the ticket cannot be read or parsed */
        Ticket readTicket(String name);

        FolderDefaults defaults();
    }

    /**
     * A job ready to start: its trigger (the ticket, or a bare image), the ticket as read (null when
     * it could not be read), its inputs and references by name, and the failure found at intake.
     */
    public record Found(String trigger, String ticketName, Ticket ticket, List<String> inputs, List<String> references,
                        JobFailure failure) {
    }

    /** The ready jobs of a folder, and whether anything there is still arriving. */
    public record Outcome(List<Found> ready, boolean stillArriving) {
    }

    private record TicketOutcome(Found found, List<String> images) {
    }

    private volatile long missingReferenceGraceMillis;
    private final Clock clock;

    public TicketPairing(long missingReferenceGraceMillis, Clock clock) {
        this.missingReferenceGraceMillis = missingReferenceGraceMillis;
        this.clock = clock;
    }

    public static boolean isImageName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public static String imageStem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** In a run that only processes what is there now, references that are missing will not come. */
    public void setMissingReferenceGraceMillis(long graceMillis) {
        this.missingReferenceGraceMillis = graceMillis;
    }

    public Outcome pair(Folder folder) {
        List<String> names = new ArrayList<>(folder.names());
        names.sort(String::compareTo);
        boolean stillArriving = false;
        List<Found> ready = new ArrayList<>();
        FolderDefaults defaults = folder.defaults();
        Map<String, List<String>> imagesByStem = new LinkedHashMap<>();
        for (String name : names) {
            if (isImageName(name)) {
                imagesByStem.computeIfAbsent(imageStem(name), k -> new ArrayList<>()).add(name);
            }
        }
        Set<String> pairedImages = new HashSet<>();
        for (String name : names) {
            if (!TicketReader.isTicketName(name)) {
                continue;
            }
            List<String> stemImages = imagesByStem.getOrDefault(TicketReader.stemOf(name), List.of());
            if (folder.isClaimed(name)) {
                pairedImages.addAll(stemImages);
                continue;
            }
            if (!folder.isStable(name)) {
                stillArriving = true;
                pairedImages.addAll(stemImages);
                continue;
            }
            TicketOutcome outcome = ticketJob(folder, name, stemImages, defaults);
            pairedImages.addAll(outcome.images());
            if (outcome.found() != null) {
                ready.add(outcome.found());
            } else {
                stillArriving = true;
            }
        }
        if (defaults.exists()) {
            for (List<String> images : imagesByStem.values()) {
                for (String image : images) {
                    if (pairedImages.contains(image) || folder.isClaimed(image)) {
                        continue;
                    }
                    if (!folder.isStable(image)) {
                        stillArriving = true;
                        continue;
                    }
                    ready.add(bareImage(image, defaults));
                }
            }
        }
        return new Outcome(ready, stillArriving);
    }

    private TicketOutcome ticketJob(Folder folder, String ticketName, List<String> stemImages, FolderDefaults defaults) {
        List<String> inputs = new ArrayList<>(List.of(ticketName));
        Ticket ticket;
        try {
            ticket = folder.readTicket(ticketName).withDefaults(defaults.ticket());
        } catch (JobFailure failure) {
            inputs.addAll(stemImages);
            return new TicketOutcome(new Found(ticketName, ticketName, null, inputs, List.of(), failure), stemImages);
        }
        if (defaults.failure() != null) {
            return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(), defaults.failure()), stemImages);
        }
        List<String> references = new ArrayList<>();
        if (ticket.getReferences() == null) {
            references.addAll(stemImages);
        } else {
            for (String reference : ticket.getReferences()) {
                String inside = insideFolder(reference);
                if (inside == null) {
                    inputs.addAll(stemImages);
                    return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(),
                            new JobFailure(ErrorCode.REFERENCE_OUTSIDE_FOLDER, "Ticket " + ticketName + " names reference '" + reference
                                    + "', which is outside the ticket's folder.")), stemImages);
                }
                references.add(inside);
            }
        }
        List<String> missing = new ArrayList<>();
        boolean unstable = false;
        for (String reference : references) {
            if (!folder.exists(reference)) {
                missing.add(reference);
            } else if (!folder.isStable(reference)) {
                unstable = true;
            }
        }
        if (!missing.isEmpty()) {
            long waited = clock.millis() - folder.firstSeen(ticketName);
            if (waited < missingReferenceGraceMillis) {
                return new TicketOutcome(null, references);
            }
            references.stream().filter(folder::exists).forEach(inputs::add);
            return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(),
                    new JobFailure(ErrorCode.REFERENCE_MISSING, "Ticket " + ticketName + " names " + String.join(", ", missing)
                            + ", which did not arrive within " + (missingReferenceGraceMillis / 1000) + " s.")), references);
        }
        if (unstable) {
            return new TicketOutcome(null, references);
        }
        inputs.addAll(references);
        return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, references, null), references);
    }

    private static Found bareImage(String image, FolderDefaults defaults) {
        Ticket ticket = new Ticket().withDefaults(defaults.ticket());
        ticket.setReferences(List.of(image));
        return new Found(image, null, ticket, List.of(image), List.of(image), defaults.failure());
    }

    /**
     * The reference as a normalised name inside the folder ("a/./b.png" becomes "a/b.png"), or null
     * when it is absolute or climbs out of the folder with "..".
     */
    static String insideFolder(String reference) {
        if (reference.startsWith("/") || reference.startsWith("\\")) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : reference.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        // "" or "." names the folder itself: not a file, so it is reported as missing
        return String.join("/", parts);
    }
}
