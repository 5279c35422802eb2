package io.darkroom.pipeline;

import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --once} in its own JVM, configured through the environment as a user would. */
class OnceRunTest {

    @TempDir
    Path home;

    @Test
    void deliversEverythingAndExitsZero() throws Exception {
        Path inbox = home.resolve("drop");
        Files.createDirectories(inbox);
        Files.copy(Path.of("src/test/resources/samples/coffee.png"), inbox.resolve("mug.png"));
        Files.writeString(inbox.resolve("mug.txt"), "the mug on a marble counter");
        Files.copy(Path.of("src/test/resources/samples/chelsea.png"), inbox.resolve("cat.png"));
        Files.writeString(inbox.resolve("cat.json"), "{\"prompt\": \"the cat as a mascot\", \"useCase\": \"character\"}");
        Files.copy(Path.of("src/test/resources/samples/rocket.jpg"), inbox.resolve("rocket.jpg"));
        Files.writeString(inbox.resolve("rocket.yaml"), "prompt: poster with the words \"Lift Off\"\n");

        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_INBOX", "drop").env("DARKROOM_OUTBOX", "results")
                .env("DARKROOM_INTAKE_MIN_AGE", "200ms").env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        int exit = darkroom.start("--once").waitFor(90);

        String log = darkroom.readLog();
        assertEquals(0, exit, log);
        assertTrue(log.contains("darkroom: 3 delivered, 0 failed, 0 held"), log);
        assertTrue(Files.isDirectory(home.resolve("results/brand")), "environment variables override config keys");
        assertTrue(Files.isDirectory(home.resolve("results/character")));
        assertTrue(Files.isDirectory(home.resolve("results/text")));
        try (var left = Files.list(inbox)) {
            assertEquals(0, left.filter(p -> !p.getFileName().toString().equals(".darkroom.lock")).count(), "inbox emptied");
        }
    }

    @Test
    void exitsThreeWhenAnyJobFailed() throws Exception {
        Path inbox = home.resolve("inbox");
        Files.createDirectories(inbox);
        Files.copy(Path.of("src/test/resources/samples/coffee.png"), inbox.resolve("mug.png"));
        Files.writeString(inbox.resolve("mug.txt"), "the mug");
        Files.copy(Path.of("src/test/resources/samples/truncated.jpg"), inbox.resolve("broken.jpg"));
        Files.writeString(inbox.resolve("broken.txt"), "this one cannot work");

        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_INTAKE_MIN_AGE", "200ms")
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        int exit = darkroom.start("--once").waitFor(90);

        String log = darkroom.readLog();
        assertEquals(3, exit, log);
        assertTrue(log.contains("darkroom: 1 delivered, 1 failed, 0 held"), log);
        assertTrue(Files.exists(home.resolve("failed/broken.txt.error.json")));
    }
}
