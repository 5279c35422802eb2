package io.darkroom.hardening;

import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second Darkroom on an inbox that a running one holds, even with its own data folder, refuses
 * to start with a message naming the other instance, instead of running every job a second time.
 */
class SecondInstanceTest {

    @TempDir
    Path home;

    @Test
    void aSecondInstanceOnTheSameInboxRefusesToStartAndNamesTheFirst() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("shared-inbox"));
        DarkroomProcess first = new DarkroomProcess(home.resolve("first")).env("DARKROOM_INBOX", inbox.toString())
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        first.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.readLog().contains("Darkroom: inbox"));
            DarkroomProcess second = new DarkroomProcess(home.resolve("second")).env("DARKROOM_INBOX", inbox.toString())
                    .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
            int exit = second.start().waitFor(60);
            String log = second.readLog();
            assertNotEquals(0, exit, log);
            assertTrue(log.contains("is in use by another Darkroom instance (pid " + first.pid()), log);
            assertTrue(log.contains("cluster mode"), log);
            assertTrue(first.isAlive(), "the first instance keeps running");
        } finally {
            first.kill();
        }
    }
}
