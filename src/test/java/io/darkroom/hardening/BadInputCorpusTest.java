package io.darkroom.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.DarkroomProcess;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus (src/test/resources/bad-inputs/, one folder per case with what to drop, an
 * optional setup.sh for what git cannot hold, and expect.properties) dropped in one batch, each case
 * in its own sub folder of the inbox, beside two good jobs, and run with {@code --once} against the
 * provider simulator. Each case must end with its stable code and a message naming the input, its
 * files moved to failed/ (held/ for budget), nothing paid for it, the good jobs delivered and
 * nothing written outside the configured folders.
 */
class BadInputCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/bad-inputs");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(50));

    private static Path root;
    private static Path home;
    private static int exit;
    private static long submits;
    private static String log;
    private static final List<String> writtenOutside = new ArrayList<>();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> folders = Files.list(CORPUS)) {
            return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @BeforeAll
    static void runTheBatch() throws Exception {
        root = Files.createTempDirectory("darkroom-corpus");
        home = Files.createDirectories(root.resolve("home"));
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        Path samples = Path.of("src/test/resources/samples").toAbsolutePath();
        for (String name : cases().toList()) {
            Path target = Files.createDirectories(inbox.resolve(name));
            try (Stream<Path> files = Files.list(CORPUS.resolve(name))) {
                for (Path file : files.toList()) {
                    String fileName = file.getFileName().toString();
                    if (!fileName.equals("expect.properties") && !fileName.equals("setup.sh")) {
                        Files.copy(file, target.resolve(fileName), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Path setup = CORPUS.resolve(name).resolve("setup.sh");
            if (Files.exists(setup)) {
                ProcessBuilder shell = new ProcessBuilder("sh", setup.toAbsolutePath().toString()).directory(target.toFile()).inheritIO();
                shell.environment().put("SAMPLES", samples.toString());
                assertEquals(0, shell.start().waitFor(), "setup of " + name);
            }
        }
        Files.createDirectories(inbox.resolve("good-one"));
        Files.copy(samples.resolve("coffee.png"), inbox.resolve("good-one/mug.png"));
        Files.writeString(inbox.resolve("good-one/mug.txt"), "good one: the mug on marble");
        Files.createDirectories(inbox.resolve("good-two"));
        Files.writeString(inbox.resolve("good-two/poster.json"), "{\"prompt\": \"good two: a poster of a rocket\", \"useCase\": \"hero\"}");

        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_INTAKE_MIN_AGE", "200ms")
                .env("ATLAS_API_KEY", simulator.get().settings().apiKey())
                .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", simulator.get().baseUrl()).env("OPENAI_API_KEY", "");
        Set<Path> before = allFiles(root);
        exit = darkroom.start("--once").waitFor(120);
        log = darkroom.readLog();
        submits = simulator.get().submitCount();
        // the inbox only gains the single-node lock; everything else lands in the configured folders
        List<Path> allowed = Stream.of("outbox", "done", "failed", "held", "data").map(home::resolve).toList();
        for (Path file : allFiles(root)) {
            if (!before.contains(file) && allowed.stream().noneMatch(file::startsWith) && !file.equals(darkroom.log())
                    && !file.equals(inbox.resolve(".darkroom.lock"))) {
                writtenOutside.add(root.relativize(file).toString());
            }
        }
    }

    @AfterAll
    static void removeWork() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadInputGetsItsStableCodeAndNothingElseIsAffected(String name) throws Exception {
        Properties expect = new Properties();
        try (Reader reader = Files.newBufferedReader(CORPUS.resolve(name).resolve("expect.properties"))) {
            expect.load(reader);
        }
        String input = expect.getProperty("input");
        Path folder = home.resolve(expect.getProperty("folder", "failed")).resolve(name);
        Path errorFile = folder.resolve(input + ".error.json");
        assertTrue(Files.isRegularFile(errorFile), name + ": no error file " + errorFile + "; log: " + tail());
        JsonNode error = JSON.readTree(errorFile.toFile());
        assertEquals(expect.getProperty("code"), error.at("/code").asText(), name + ": " + error);
        String message = error.at("/message").asText();
        assertTrue(message.contains(expect.getProperty("mentions")), name + ": the message should name " + expect.getProperty("mentions") + ": " + message);
        assertFalse(error.at("/hint").asText().isEmpty(), name + ": a hint the user can act on");
        assertTrue(Files.exists(folder.resolve(input), LinkOption.NOFOLLOW_LINKS), name + ": the input is moved beside its error file");
        try (Stream<Path> left = Files.list(home.resolve("inbox").resolve(name))) {
            // a folder's _defaults file is its settings, not an input: it stays for the next ticket
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith("_defaults.")).toList(),
                    name + ": nothing left in the inbox");
        }

        // the rest of the batch: the good jobs delivered, nothing paid for a bad input, nothing written elsewhere
        assertEquals(3, exit, tail());
        assertTrue(log.contains("darkroom: 2 delivered"), tail());
        assertEquals(2, submits, "only the two good jobs reached the provider");
        assertEquals(List.of(), writtenOutside, "files written outside the configured folders");
    }

    private static String tail() {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    private static Set<Path> allFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return new HashSet<>(files.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList());
        }
    }
}
