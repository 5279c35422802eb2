package io.darkroom.hardening;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.intake.InboxScanner;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ticket renamed while its job runs is still that job's: it does not start a second (text-only, paid) job. */
class RenameAfterPickupTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(1500));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
    }

    @Test
    void aTicketRenamedWhileItsJobRunsIsNotPickedUpAgain() throws Exception {
        sample("chelsea.png", "cat.png");
        write("cat.txt", "the cat on a windowsill");
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.get().submitCount() == 1);
        Files.move(inbox.resolve("cat.txt"), inbox.resolve("renamed.txt"));

        awaitFinished(1, Duration.ofSeconds(30));
        InboxScanner scanner = context.getRegistry().lookupByNameAndType("inboxScanner", InboxScanner.class);
        long scans = scanner.scanCount();
        await().atMost(Duration.ofSeconds(10)).until(() -> scanner.scanCount() >= scans + 3);

        assertEquals(1, simulator.get().submitCount(), "one job, paid once");
        assertEquals(1, outcomes().delivered(), outcomes().summary());
        assertEquals(0, outcomes().failed() + outcomes().duplicates());
        assertEquals(List.of(), filesUnder(inbox), "the renamed ticket left the inbox with its job");
        assertTrue(filesUnder(done).containsAll(List.of("cat.png", "renamed.txt")), filesUnder(done).toString());
    }
}
