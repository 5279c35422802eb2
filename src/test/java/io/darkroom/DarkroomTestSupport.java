package io.darkroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.JobOutcomes;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Runs the real routes and config/ of Darkroom in a test, with every folder in a fresh temporary
 * directory and short intake and poll intervals. Subclasses add properties (provider URLs, keys).
 */
public abstract class DarkroomTestSupport extends CamelMainTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected final Path work;
    protected final Path inbox;
    protected final Path outbox;
    protected final Path done;
    protected final Path failed;
    protected final Path held;
    protected final Path data;
    protected final int serverPort = AvailablePortFinder.getNextAvailable();

    protected DarkroomTestSupport() {
        try {
            work = Files.createTempDirectory("darkroom-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inbox = work.resolve("inbox");
        outbox = work.resolve("outbox");
        done = work.resolve("done");
        failed = work.resolve("failed");
        held = work.resolve("held");
        data = work.resolve("data");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return Darkroom.CONFIG;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Darkroom.configurations().forEach(configuration::addConfiguration);
    }

    // assigned from the super constructor (before field initialisers run), so no initialiser here
    private Properties overrides;

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        overrides = new Properties();
        configuration.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    /** Filled once this object is constructed and before the context is created. */
    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        Properties properties = overrides;
        properties.put("darkroom.inbox", inbox.toString());
        properties.put("darkroom.outbox", outbox.toString());
        properties.put("darkroom.done", done.toString());
        properties.put("darkroom.failed", failed.toString());
        properties.put("darkroom.held", held.toString());
        properties.put("darkroom.data", data.toString());
        properties.put("darkroom.intake.poll-interval", "100");
        properties.put("darkroom.intake.min-age", "150");
        properties.put("darkroom.intake.missing-reference-grace", "2s");
        properties.put("darkroom.poll.initial-delay", "50");
        properties.put("darkroom.poll.max-delay", "500");
        // tests pace themselves: a test of the request budget or the poll floor sets these
        properties.put("darkroom.poll.min-interval", "50");
        properties.put("darkroom.providers.atlas.max-requests-per-second", "0");
        properties.put("darkroom.providers.openai.max-requests-per-second", "0");
        properties.put("darkroom.provider.default", "auto");
        properties.put("darkroom.providers.atlas.api-key", "");
        properties.put("darkroom.providers.openai.api-key", "");
        // the console, health and metrics server: a free port, never a fixed one another run may hold
        properties.put("camel.server.port", String.valueOf(serverPort));
        testProperties(properties);
    }

    /** Adds or overrides properties for one test class. */
    protected void testProperties(Properties properties) {
    }

    @AfterEach
    void removeWorkFolder() throws IOException {
        context.stop();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    protected JobOutcomes outcomes() {
        return context.getRegistry().lookupByNameAndType("jobOutcomes", JobOutcomes.class);
    }

    /** Waits until this many jobs reached a final state (delivered, failed, held or duplicate). */
    protected void awaitFinished(int jobs, Duration atMost) {
        JobOutcomes outcomes = outcomes();
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(
                () -> outcomes.delivered() + outcomes.failed() + outcomes.held() + outcomes.duplicates() >= jobs);
    }

    protected Path write(String relative, String text) throws IOException {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    protected Path write(String relative, byte[] bytes) throws IOException {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        Files.write(temp, bytes);
        return Files.move(temp, file);
    }

    protected Path sample(String sample, String asName) throws IOException {
        return write(asName, sampleBytes(sample));
    }

    protected static byte[] sampleBytes(String sample) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/samples", sample));
    }

    /** Files below a folder, relative to it, with forward slashes; empty if the folder is absent. */
    protected static List<String> filesUnder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            // .darkroom.lock: the single-node lock a running instance holds in its inbox and data folder
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".darkroom.lock"))
                    .map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    protected static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** The error file that a failed ticket or image left in failed/ (or held/). */
    protected JsonNode errorFor(Path folder, String inputName) throws IOException {
        return readJson(folder.resolve(inputName + ".error.json"));
    }

    /** The one job folder below outbox/<useCase>/ (a test drops one job per use case). */
    protected Path jobFolder(String useCase) throws IOException {
        try (Stream<Path> dirs = Files.list(outbox.resolve(useCase))) {
            List<Path> all = dirs.filter(Files::isDirectory).toList();
            if (all.size() != 1) {
                throw new AssertionError("expected one job in outbox/" + useCase + ", found " + all);
            }
            return all.get(0);
        }
    }
}
