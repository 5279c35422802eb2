package io.darkroom.intake;

import io.darkroom.job.Job;
import io.darkroom.ticket.TicketReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An input stays while another ticket names it, and a ticket rewritten in place is read again. */
class SharedReferencesTest {

    @TempDir
    Path inbox;

    private final SharedReferences stillNeeded = new SharedReferences(new JobClaims(), new TicketReader());

    @Test
    void aTicketEditedInPlaceIsReadAgain() throws Exception {
        Path shared = Files.write(inbox.resolve("shared.png"), new byte[] {1});
        Path first = Files.writeString(inbox.resolve("first.json"), "{\"prompt\": \"a sticker\", \"references\": [\"shared.png\"]}");
        Path second = Files.writeString(inbox.resolve("second.json"), "{\"prompt\": \"a poster\", \"references\": [\"shared.png\"]}");
        Job firstJob = new Job();
        firstJob.setInputs(List.of(first.toString(), shared.toString()));

        assertTrue(stillNeeded.test(shared, firstJob), "the second ticket names it");

        Files.writeString(second, "{\"prompt\": \"a poster without the shared image\", \"references\": [\"other.png\"]}");
        assertFalse(stillNeeded.test(shared, firstJob), "the second ticket no longer names it");

        Files.writeString(second, "{\"prompt\": \"a poster\", \"references\": [\"./shared.png\"]}");
        assertTrue(stillNeeded.test(shared, firstJob), "named again");

        Files.delete(second);
        assertFalse(stillNeeded.test(shared, firstJob), "the only other ticket is gone");
    }
}
