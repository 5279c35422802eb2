package io.darkroom.intake;

import io.darkroom.job.Job;
import io.darkroom.job.Reference;

import java.time.Instant;
import java.util.function.Function;

/** How every intake (folder, bucket, mailbox) starts a job, so all jobs begin the same way. */
public final class NewJob {

    private NewJob() {
    }

    /** A job just found: its id from the input's stem, the intake it came from and when its input was first seen. */
    public static Job found(String source, String stem, Instant firstSeen) {
        Job job = new Job();
        job.setId(JobIds.next(stem));
        job.setSource(source);
        job.setReceivedAt(firstSeen.toString());
        return job;
    }

    /**
     * Takes the ticket, the references and any pairing failure of a pairing found in a listing
     * (folder or bucket); {@code localPath} says where each named reference's bytes are on disk.
     */
    public static void takePairing(Job job, TicketPairing.Found found, Function<String, String> localPath) {
        job.setTicketName(found.ticketName());
        job.setTicket(found.ticket());
        for (String reference : found.references()) {
            job.getReferences().add(new Reference(reference, localPath.apply(reference)));
        }
        if (found.failure() != null) {
            job.setIntakeError(found.failure().code());
            job.setIntakeErrorMessage(found.failure().getMessage());
        }
    }
}
