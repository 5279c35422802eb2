package io.darkroom.cli;

import io.darkroom.Darkroom;
import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --once} on a terminal (a pseudo terminal from util-linux {@code script}): a bar redrawn in place. */
class OnceProgressTerminalTest {

    @TempDir
    Path home;

    @Test
    void drawsAProgressBarOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux script for a pseudo terminal");
        new DarkroomProcess(home);   // copies config/ and routes/
        Path inbox = home.resolve("inbox");
        Files.createDirectories(inbox);
        Files.copy(Path.of("src/test/resources/samples/coffee.png"), inbox.resolve("mug.png"));
        Files.writeString(inbox.resolve("mug.txt"), "the mug on a marble counter");
        Files.copy(Path.of("src/test/resources/samples/truncated.jpg"), inbox.resolve("broken.jpg"));
        Files.writeString(inbox.resolve("broken.txt"), "this one cannot work");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Darkroom.class.getName(), "--once")
                .stream().map(part -> "'" + part.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-q", "-e", "-c", command, "/dev/null")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("terminal.log").toFile());
        builder.environment().put("ATLAS_API_KEY", "");
        builder.environment().put("OPENAI_API_KEY", "");
        builder.environment().put("DARKROOM_INTAKE_MIN_AGE", "200ms");
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "--once ends");
        String terminal = Files.readString(home.resolve("terminal.log"), StandardCharsets.UTF_8);
        assertEquals(3, process.exitValue(), terminal);
        assertTrue(terminal.contains("\r["), "redrawn in place: " + terminal);
        assertTrue(terminal.contains("[##############################] 2/2 finished, 1 failed or held, $0.0000 spent"), terminal);
        assertTrue(!terminal.contains("progress: "), "no log lines on a terminal");
    }
}
