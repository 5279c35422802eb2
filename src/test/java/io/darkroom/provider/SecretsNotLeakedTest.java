package io.darkroom.provider;

import io.darkroom.DarkroomProcess;
import io.darkroom.sim.AtlasSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API key reaches the provider and nothing else: no log line, manifest, error file or ledger row. */
class SecretsNotLeakedTest {

    private static final String KEY = "sk-atlas-3b9f1c0e7d2a4b6f8e1d0c9b8a7f6e5d";

    @TempDir
    Path home;

    @Test
    void theKeyAppearsInNoFileDarkroomWrites() throws Exception {
        AtlasSimulator atlas = new AtlasSimulator(new AtlasSimulator.Settings().setApiKey(KEY).setJobMillis(200)).start();
        try {
            Path inbox = home.resolve("inbox");
            Files.createDirectories(inbox);
            Files.copy(Path.of("src/test/resources/samples/chelsea.png"), inbox.resolve("cat.png"));
            Files.writeString(inbox.resolve("cat.txt"), "the cat in a garden");
            Files.writeString(inbox.resolve("refused.txt"), "[sim:moderated] a skyline");
            Files.writeString(inbox.resolve("broken.txt"), "[sim:malformed] a skyline");

            DarkroomProcess darkroom = new DarkroomProcess(home).env("ATLAS_API_KEY", KEY)
                    .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl()).env("DARKROOM_INTAKE_MIN_AGE", "200ms")
                    .env("DARKROOM_LOG_LEVEL", "DEBUG").env("OPENAI_API_KEY", "");
            int exit = darkroom.start("--once").waitFor(90);
            String log = darkroom.readLog();
            assertEquals(3, exit, log);
            assertTrue(log.contains("1 delivered, 2 failed"), log);
            assertTrue(atlas.submits().stream().allMatch(s -> ("Bearer " + KEY).equals(s.header("Authorization"))), "the key was used");

            List<Path> leaking = new ArrayList<>();
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(KEY)) {
                        leaking.add(home.relativize(file));
                    }
                }
            }
            assertEquals(List.of(), leaking, "files holding the key");
            assertFalse(log.contains(KEY));
        } finally {
            atlas.stop();
        }
    }
}
