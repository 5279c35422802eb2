package io.darkroom.hardening;

import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second Darkroom on an inbox that a running one holds, even with its own data folder, refuses
 * to start with a message naming the other instance, instead of running every job a second time;
 * one that shares only the data folder (and so the ledger) refuses the same way, in a sentence.
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

    @Test
    void aSecondInstanceOnTheSameDataFolderRefusesToStartWithASentenceNotAStackTrace() throws Exception {
        Path data = home.resolve("shared-data");
        DarkroomProcess first = new DarkroomProcess(home.resolve("first")).env("DARKROOM_DATA", data.toString())
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        first.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.readLog().contains("Darkroom: inbox"));
            // its own inbox, outbox and folders: only the data folder (and so the ledger) is shared
            DarkroomProcess second = new DarkroomProcess(home.resolve("second")).env("DARKROOM_DATA", data.toString())
                    .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
            int exit = second.start().waitFor(60);
            String log = second.readLog();
            assertNotEquals(0, exit, log);
            assertTrue(log.contains("The data folder " + data + " is in use by another Darkroom instance (pid " + first.pid()), log);
            assertFalse(log.contains("org.h2."), "no raw database error reaches the user: " + log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);
            assertTrue(first.isAlive(), "the first instance keeps running");
        } finally {
            first.kill();
        }
    }
}
