package io.darkroom.hardening;

import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A damaged ledger file stops the start with a sentence that says what is wrong and what to do. */
class CorruptLedgerTest {

    @TempDir
    Path home;

    @Test
    void aDamagedLedgerIsExplainedAtStart() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(13).nextBytes(garbage);
        Files.write(data.resolve("ledger.mv.db"), garbage);

        DarkroomProcess darkroom = new DarkroomProcess(home).env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        int exit = darkroom.start("--once").waitFor(60);
        String log = darkroom.readLog();
        assertNotEquals(0, exit, log);
        assertTrue(log.contains("The job ledger (jdbc:h2:file:"), log);
        assertTrue(log.contains("cannot be opened"), log);
        assertTrue(log.contains("restore it from a backup, or move it aside"), log);
        assertTrue(log.contains("darkroom: cannot start: "), log);
        assertTrue(!log.contains("\tat org.h2"), "a sentence, not a stack trace: " + log);
    }
}
