package io.darkroom.hardening;

import io.darkroom.DarkroomProcess;
import io.darkroom.sim.AtlasSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SIGTERM stops taking new work at once: jobs still queued are not submitted during the stop; they
 * stay in the inbox and run at the next start, each submitted exactly once over both runs.
 */
class StopTest {

    private static final int JOBS = 3;

    @TempDir
    Path home;

    private AtlasSimulator atlas;
    private DarkroomProcess darkroom;

    @BeforeEach
    void startSimulator() throws Exception {
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(1500)).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (darkroom != null && darkroom.isAlive()) {
            darkroom.kill();
        }
        atlas.stop();
    }

    @Test
    void aStopSubmitsNothingMoreAndTheNextStartRunsWhatWasLeft() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        for (int i = 1; i <= JOBS; i++) {
            Files.writeString(inbox.resolve("job" + i + ".txt"), "a harbour, scene " + i);
        }
        darkroom = new DarkroomProcess(home).env("ATLAS_API_KEY", "test-atlas-key").env("OPENAI_API_KEY", "")
                .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl()).env("DARKROOM_PROVIDERS_ATLAS_MAX_IN_FLIGHT", "1")
                .env("DARKROOM_INTAKE_MIN_AGE", "200ms").env("DARKROOM_INTAKE_POLL_INTERVAL", "200ms")
                .env("DARKROOM_POLL_INITIAL_DELAY", "300ms").env("DARKROOM_POLL_MAX_DELAY", "500ms");
        darkroom.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> atlas.submitCount() == 1);
        darkroom.terminate();
        darkroom.waitFor(60);
        assertEquals(1, atlas.submitCount(), "nothing more was submitted once the stop began");

        darkroom.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            try (var left = Files.list(inbox)) {
                return left.filter(p -> p.getFileName().toString().endsWith(".txt")).count() == 0;
            }
        });
        darkroom.terminate();
        darkroom.waitFor(60);
        for (int i = 1; i <= JOBS; i++) {
            assertEquals(1, atlas.submitCountForPrompt("a harbour, scene " + i), "scene " + i + " submitted once over both runs");
        }
    }
}
