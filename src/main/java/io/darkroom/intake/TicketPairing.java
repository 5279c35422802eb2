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

        /** False for a name that is there but is no plain file (a link, a pipe, a folder); a listing of objects has only files. */
        default boolean isRegular(String name) {
            return true;
        }

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
        StemIndex stems = StemIndex.of(folder, names);
        Map<String, List<String>> ticketsByStem = new LinkedHashMap<>();
        for (String name : names) {
            if (TicketReader.isTicketName(name)) {
                ticketsByStem.computeIfAbsent(TicketReader.stemOf(name), k -> new ArrayList<>()).add(name);
            }
        }
        Set<String> pairedImages = new HashSet<>();
        for (String name : names) {
            if (!TicketReader.isTicketName(name)) {
                continue;
            }
            String stem = TicketReader.stemOf(name);
            List<String> stemImages = imagesByStem.getOrDefault(stem, List.of());
            List<String> stemTickets = ticketsByStem.get(stem);
            if (stemTickets.size() > 1) {
                // which ticket the images belong to is a guess: none runs; one error, once all of them are complete
                pairedImages.addAll(stemImages);
                if (!stemTickets.get(0).equals(name) || stemTickets.stream().anyMatch(folder::isClaimed)) {
                    continue;
                }
                if (!stemTickets.stream().allMatch(folder::isStable)) {
                    stillArriving = true;
                    continue;
                }
                List<String> inputs = new ArrayList<>(stemTickets);
                inputs.addAll(stemImages);
                ready.add(new Found(name, name, null, inputs, List.of(), new JobFailure(ErrorCode.TICKET_INVALID,
                        "Tickets " + String.join(" and ", stemTickets) + " share the stem '" + stem
                                + "', so it is not clear which one the images are for: keep one ticket per stem.")));
                continue;
            }
            if (folder.isClaimed(name)) {
                pairedImages.addAll(stemImages);
                continue;
            }
            if (!folder.isStable(name)) {
                stillArriving = true;
                pairedImages.addAll(stemImages);
                continue;
            }
            TicketOutcome outcome = ticketJob(folder, name, stemImages, defaults, stems);
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
                    if (!folder.isRegular(image)) {
                        ready.add(new Found(image, null, null, List.of(image), List.of(), new JobFailure(ErrorCode.IMAGE_UNSUPPORTED,
                                "Image " + image + " is not a plain file (a link, pipe or folder); drop the image itself.")));
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

    private TicketOutcome ticketJob(Folder folder, String ticketName, List<String> stemImages, FolderDefaults defaults, StemIndex stems) {
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
            SameStem sameStem = stems.besides(ticketName);
            if (!sameStem.arriving().isEmpty()) {
                long waited = clock.millis() - folder.firstSeen(ticketName);
                if (waited < missingReferenceGraceMillis) {
                    return new TicketOutcome(null, stemImages);
                }
                inputs.addAll(stemImages);
                inputs.addAll(sameStem.arriving());
                return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(),
                        new JobFailure(ErrorCode.REFERENCE_MISSING, "Ticket " + ticketName + " has " + String.join(", ", sameStem.arriving())
                                + " beside it, still being copied after " + (missingReferenceGraceMillis / 1000) + " s.")), stemImages);
            }
            if (!sameStem.unusable().isEmpty()) {
                // never a silent text-only job: the user meant these as references
                inputs.addAll(stemImages);
                sameStem.unusable().keySet().stream().filter(n -> !inputs.contains(n)).forEach(inputs::add);
                List<String> why = sameStem.unusable().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
                return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(),
                        new JobFailure(ErrorCode.IMAGE_UNSUPPORTED, "Ticket " + ticketName + " has " + String.join("; ", why)
                                + ": the files beside a ticket with its name are its references, so it was not run without them.")), stemImages);
            }
            references.addAll(stemImages);
        } else {
            for (String reference : ticket.getReferences()) {
                String inside = insideFolder(reference);
                if (inside != null && inside.isEmpty()) {
                    inputs.addAll(stemImages);
                    return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(),
                            new JobFailure(ErrorCode.TICKET_INVALID, "Ticket " + ticketName + ": field 'references' names '" + reference
                                    + "', which is no file name.")), stemImages);
                }
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
            if (!folder.isRegular(reference)) {
                inputs.add(reference);
                return new TicketOutcome(new Found(ticketName, ticketName, ticket, inputs, List.of(), new JobFailure(ErrorCode.IMAGE_UNSUPPORTED,
                        "Ticket " + ticketName + " names reference " + reference + ", which is not a plain file (a link, pipe or folder).")),
                        references);
            }
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

    /** What else carries a ticket's stem: files that cannot be references, and images still being copied. */
    private record SameStem(Map<String, String> unusable, List<String> arriving) {
    }

    private static final Set<String> PARTIAL_EXTENSIONS = Set.of("part", "partial", "tmp", "crdownload", "download");

    /** The files of one folder by stem, built once per scan so each ticket's look at its neighbours is a lookup. */
    private record StemIndex(Map<String, Map<String, String>> unusable, Map<String, List<String>> arriving) {

        static StemIndex of(Folder folder, List<String> names) {
            Map<String, Map<String, String>> unusable = new LinkedHashMap<>();
            Map<String, List<String>> arriving = new LinkedHashMap<>();
            for (String name : names) {
                if (TicketReader.isTicketName(name) || TicketReader.isDefaultsName(name)) {
                    continue;
                }
                String stem = imageStem(name);
                if (!folder.isRegular(name)) {
                    unusable.computeIfAbsent(stem, k -> new LinkedHashMap<>()).put(name, "is not a plain file (a link, pipe or folder)");
                } else if (!isImageName(name)) {
                    unusable.computeIfAbsent(stem, k -> new LinkedHashMap<>()).put(name, "is not a PNG, JPEG or WebP image");
                }
                if (isImageName(stem) && PARTIAL_EXTENSIONS.contains(name.substring(stem.length() + 1).toLowerCase(Locale.ROOT))) {
                    arriving.computeIfAbsent(imageStem(stem), k -> new ArrayList<>()).add(name);
                }
            }
            return new StemIndex(unusable, arriving);
        }

        SameStem besides(String ticketName) {
            String stem = TicketReader.stemOf(ticketName);
            return new SameStem(unusable.getOrDefault(stem, Map.of()), arriving.getOrDefault(stem, List.of()));
        }
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
    public static String insideFolder(String reference) {
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
