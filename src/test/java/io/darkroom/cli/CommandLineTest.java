package io.darkroom.cli;

import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line explains itself, and a typo starts nothing. */
class CommandLineTest {

    @TempDir
    Path home;

    @Test
    void helpPrintsTheUsageAndExitsZero() throws Exception {
        DarkroomProcess darkroom = new DarkroomProcess(home);
        assertEquals(0, darkroom.start("--help").waitFor(60), darkroom.readLog());
        String log = darkroom.readLog();
        assertTrue(log.contains("Usage: darkroom"), log);
        for (String command : List.of("run", "jobs", "plan", "--once")) {
            assertTrue(log.contains(command), command + " is explained: " + log);
        }
        assertEquals(List.of("config", "darkroom-1.log", "routes"), entries(), "nothing started");
    }

    @Test
    void aMistypedOptionPrintsTheUsageAndExitsTwoWithoutStartingAnything() throws Exception {
        DarkroomProcess darkroom = new DarkroomProcess(home);
        assertEquals(2, darkroom.start("--onec").waitFor(60), darkroom.readLog());
        String log = darkroom.readLog();
        assertTrue(log.contains("Unknown option: '--onec'"), log);
        assertTrue(log.contains("Usage: darkroom"), log);
        assertEquals(List.of("config", "darkroom-1.log", "routes"), entries(), "no folder created: " + entries());
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExitsTwoWithoutStartingAnything() throws Exception {
        DarkroomProcess darkroom = new DarkroomProcess(home);
        assertEquals(2, darkroom.start("frobnicate").waitFor(60), darkroom.readLog());
        String log = darkroom.readLog();
        assertTrue(log.contains("frobnicate"), log);
        assertTrue(log.contains("Usage: darkroom"), log);
        assertEquals(List.of("config", "darkroom-1.log", "routes"), entries(), "no folder created: " + entries());
    }

    @Test
    void eachCommandHasItsOwnHelp() throws Exception {
        DarkroomProcess darkroom = new DarkroomProcess(home);
        assertEquals(0, darkroom.start("plan", "--help").waitFor(60), darkroom.readLog());
        assertTrue(darkroom.readLog().contains("Usage: darkroom plan [-hV] [FOLDER]"), darkroom.readLog());
    }

    private List<String> entries() throws Exception {
        try (Stream<Path> files = Files.list(home)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
