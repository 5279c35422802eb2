package io.darkroom.ledger;

import io.darkroom.DarkroomProcess;
import io.darkroom.sim.AtlasSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Darkroom killed with SIGKILL while jobs are at the provider, then started again: every input is
 * delivered exactly once, every job was submitted exactly once, and nothing partial is left.
 */
class CrashRecoveryTest {

    private static final int JOBS = 20;

    @TempDir
    Path home;
    private AtlasSimulator atlas;
    private DarkroomProcess darkroom;

    @BeforeEach
    void startSimulator() throws Exception {
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(5000)).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (darkroom != null && darkroom.isAlive()) {
            darkroom.kill();
        }
        atlas.stop();
    }

    @Test
    void survivesAKillWhilePollingOnH2() throws Exception {
        killWhilePollingThenRestart(null);
    }

    @Test
    void survivesAKillWhilePollingOnPostgres() throws Exception {
        killWhilePollingThenRestart(PostgresLedger.freshSchemaUrl());
    }

    @Test
    void aSubmitCutOffByACrashIsFoundInTheProviderHistoryAndPolledNotSentAgain() throws Exception {
        killMidSubmitAndRestart();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(home.resolve("done/hang.txt")));
        assertEquals(1, atlas.submitCountForPrompt("[sim:submit-hang] a harbour at night"), "not sent again");
        assertEquals(1, atlas.historyLookupCount(), "the provider's history was asked once");
        assertTrue(darkroom.readLog().contains("the submit's answer was lost, but atlas has it as"), darkroom.readLog());
        assertFalse(Files.exists(home.resolve("failed/hang.txt.error.json")));
    }

    @Test
    void aSubmitCutOffByACrashThatTheHistoryDoesNotShowBecomesSubmitUnknownAndIsNotSentAgain() throws Exception {
        atlas.stop();
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(5000).setHistory(false)).start();
        Path inbox = killMidSubmitAndRestart();
        Path error = home.resolve("failed/hang.txt.error.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(error));
        String text = Files.readString(error);
        assertTrue(text.contains("\"SUBMIT_UNKNOWN\""), text);
        assertTrue(text.contains("rerun: true"), "the hint tells the user how to send it again: " + text);
        assertEquals(1, atlas.submitCountForPrompt("[sim:submit-hang] a harbour at night"), "not sent again");
        assertEquals(1, atlas.historyLookupCount(), "the provider's history was asked before giving up");
        assertFalse(Files.exists(inbox.resolve("hang.txt")));
    }

    /** Darkroom killed while a submit, which the provider received, waits for its answer; then started again. */
    private Path killMidSubmitAndRestart() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        Files.writeString(inbox.resolve("hang.txt"), "[sim:submit-hang] a harbour at night");
        darkroom = daemon(null).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> atlas.jobsCreatedCount() == 1);
        darkroom.kill();
        darkroom.start();
        return inbox;
    }

    private void killWhilePollingThenRestart(String ledgerUrl) throws Exception {
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        byte[] image = Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png"));
        for (int i = 1; i <= JOBS; i++) {
            Files.write(inbox.resolve("job" + i + ".png"), image);
            Files.writeString(inbox.resolve("job" + i + ".txt"), "the cat, scene " + i);
        }
        darkroom = daemon(ledgerUrl).start();
        // every job at the provider, recorded SUBMITTED in the ledger (the log line follows the write), and being
        // polled; a kill between the provider's answer and that write would leave a SUBMIT_UNKNOWN job, rightly not resent
        await().atMost(Duration.ofSeconds(60)).until(() -> atlas.jobsCreatedCount() == JOBS && atlas.pollCount() >= JOBS
                && Files.readString(darkroom.log()).lines().filter(line -> line.contains(" submitted to atlas as ")).count() == JOBS);
        darkroom.kill();
        assertFalse(darkroom.isAlive());

        darkroom.start();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests().size() == JOBS && filesUnder(inbox).isEmpty());
        darkroom.kill();

        for (int i = 1; i <= JOBS; i++) {
            assertEquals(1, atlas.submitCountForPrompt("the cat, scene " + i), "job " + i + " submitted once");
        }
        assertEquals(JOBS, atlas.jobsCreatedCount(), "nothing paid twice\n" + darkroom.readLog());
        List<Path> manifests = manifests();
        assertEquals(JOBS, manifests.stream().map(m -> m.getParent().getFileName().toString().replaceAll("-[0-9a-f]{8}$", "")).distinct().count(),
                "one delivery per input");
        assertTrue(filesUnder(home.resolve("outbox")).stream().noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")),
                "no partial file in the outbox");
        assertEquals(List.of(), filesUnder(inbox), "nothing left in the inbox");
        assertEquals(2 * JOBS, filesUnder(home.resolve("done")).size());

        String jobs = listJobs(ledgerUrl);
        assertEquals(JOBS, jobs.lines().filter(line -> line.contains("DELIVERED")).count(), jobs);
    }

    private DarkroomProcess daemon(String ledgerUrl) {
        DarkroomProcess process = new DarkroomProcess(home)
                .env("ATLAS_API_KEY", "test-atlas-key").env("OPENAI_API_KEY", "")
                .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl())
                .env("DARKROOM_INTAKE_MIN_AGE", "200ms").env("DARKROOM_INTAKE_POLL_INTERVAL", "200ms")
                .env("DARKROOM_POLL_INITIAL_DELAY", "300ms").env("DARKROOM_POLL_MAX_DELAY", "1s");
        if (ledgerUrl != null) {
            process.env("DARKROOM_LEDGER_URL", ledgerUrl).env("DARKROOM_LEDGER_USER", PostgresLedger.USER);
        }
        return process;
    }

    private String listJobs(String ledgerUrl) throws Exception {
        DarkroomProcess lister = daemon(ledgerUrl);
        assertEquals(0, lister.start("jobs").waitFor(60));
        return Files.readString(lister.log());
    }

    private List<Path> manifests() throws Exception {
        return filesUnder(home.resolve("outbox")).stream()
                .filter(p -> p.getFileName().toString().equals(p.getParent().getFileName() + ".json")).toList();
    }

    private static List<Path> filesUnder(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            // .darkroom.lock: the single-node lock, which stays in the inbox and data folder
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".darkroom.lock")).toList();
        }
    }
}
