package io.darkroom.ledger;

import io.darkroom.DarkroomProcess;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.sim.AtlasSimulator;
import io.darkroom.wiring.LedgerConfiguration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Darkroom nodes in cluster mode on one PostgreSQL ledger, one RabbitMQ broker (submitted jobs
 * go to the poll stage of either node through it) and one shared inbox, against a provider that
 * would take any number of jobs while Darkroom is told a cap of 10. One node is
 * killed with SIGKILL while jobs are at the provider: the other takes its jobs over when their
 * leases run out, looks up in the provider's history the submits node A was sending when it died,
 * and puts away the inputs of jobs A had ended but not yet archived. Every input is delivered
 * exactly once, no job was submitted twice, the two nodes together never had more than 10 jobs at
 * the provider, and nothing partial is left.
 */
// it counts requests per second and kills and restarts nodes and the broker: run with no other test beside it (pom.xml)
@Tag("alone")
class ClusterTest {

    private static final int JOBS = 200;
    private static final int CAP = 10;

    @TempDir
    Path home;
    private AtlasSimulator atlas;
    private DarkroomProcess nodeA;
    private DarkroomProcess nodeB;
    private String ledgerUrl;
    private String pollQueue;

    @BeforeEach
    void start() throws Exception {
        // the provider refuses nothing: only Darkroom's cluster-wide slots keep it at the cap
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(1500).setConcurrencyCap(10_000)).start();
        ledgerUrl = PostgresLedger.freshSchemaUrl();
        pollQueue = RabbitBroker.freshQueue();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (DarkroomProcess node : new DarkroomProcess[] {nodeA, nodeB}) {
            if (node != null && node.isAlive()) {
                node.kill();
            }
        }
        atlas.stop();
        RabbitBroker.deleteQueue(pollQueue);
    }

    @Test
    void aNodeKilledMidRunLeavesNothingLostNothingPaidTwiceAndTheCapHeld() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("shared/inbox"));
        nodeA = node("node-a").start();
        nodeB = node("node-b").start();
        awaitStarted(nodeA, nodeB);
        dropJobs(inbox, 1, JOBS);
        // node A has jobs at the provider: kill it then
        await().atMost(Duration.ofSeconds(120)).until(() -> atlas.jobsCreatedCount() >= JOBS / 4
                && Files.readString(nodeA.log()).contains("submitted"));
        nodeA.kill();
        assertFalse(nodeA.isAlive());

        // every input ends once: delivered, or (should node A have died after recording a submit
        // and before sending it, which the provider's history then does not show) SUBMIT_UNKNOWN
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> filesUnder(inbox).isEmpty() && manifests().size() + errorFiles().size() == JOBS);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every input ended: " + manifests().size() + " delivered, " + errorFiles().size() + " failed, "
                    + filesUnder(inbox).size() + " file(s) left in the inbox " + filesUnder(inbox) + "\n" + problems(nodeB)
                    + "\n" + linesAbout(filesUnder(inbox)), e);
        }

        String log = nodeA.readLog() + nodeB.readLog();
        List<String> unknown = new ArrayList<>();
        for (Path error : errorFiles()) {
            assertTrue(Files.readString(error).contains("\"SUBMIT_UNKNOWN\""), "the only failure is a submit cut off by the kill: " + error);
            unknown.add(Files.readString(error.resolveSibling(error.getFileName().toString().replace(".error.json", ""))));
        }
        for (int i = 1; i <= JOBS; i++) {
            String prompt = "the cat, scene " + i;
            assertEquals(unknown.contains(prompt) ? 0 : 1, atlas.submitCountForPrompt(prompt),
                    "job " + i + " submitted once; a job failed as SUBMIT_UNKNOWN only when its submit never reached the provider");
        }
        assertEquals(JOBS - unknown.size(), atlas.jobsCreatedCount(), "nothing paid twice, nothing paid and not delivered");
        assertTrue(atlas.maxInFlightSeen() <= CAP, "at most " + CAP + " jobs at the provider, across both nodes: " + atlas.maxInFlightSeen());
        assertTrue(nodeB.readLog().contains("taken over from node node-a"), "node B took over node A's jobs\n" + log);
        assertTrue(nodeA.readLog().contains("taken from the broker for polling (handed off by node node-b)")
                && nodeB.readLog().contains("taken from the broker for polling (handed off by node node-a)"),
                "each node polled jobs the other submitted, through the broker");
        List<Path> manifests = manifests();
        assertEquals(JOBS - unknown.size(), manifests.size(), "one delivery per input");
        assertEquals(JOBS - unknown.size(), manifests.stream().map(m -> m.getParent().getFileName().toString().replaceAll("-[0-9a-f]{8}$", "")).distinct().count(),
                "one delivery per input");
        assertTrue(filesUnder(home.resolve("shared/outbox")).stream().noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")),
                "no partial file in the outbox");
        assertEquals(2 * (JOBS - unknown.size()), filesUnder(home.resolve("shared/done")).size());

        DarkroomProcess lister = node("lister");
        assertEquals(0, lister.start("jobs").waitFor(60));
        String jobs = Files.readString(lister.log());
        assertEquals(JOBS - unknown.size(), jobs.lines().filter(line -> line.contains(" DELIVERED ")).count(), jobs);
        assertTrue(jobs.lines().anyMatch(line -> line.contains(" DELIVERED ") && line.contains("node-b")), jobs);
    }

    @Test
    void theBrokerRestartedMidRunLosesNothingAndPaysNothingTwice() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("shared/inbox"));
        nodeA = node("node-a").start();
        nodeB = node("node-b").start();
        awaitStarted(nodeA, nodeB);
        int jobs = 100;
        dropJobs(inbox, 1, 60);
        await().atMost(Duration.ofSeconds(120)).until(() -> atlas.jobsCreatedCount() >= 20);
        RabbitBroker.restart();
        long takenBeforeRestartEnded = takenFromBroker();
        // more work once the broker is back: it goes through the broker again
        dropJobs(inbox, 61, jobs);

        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> filesUnder(inbox).isEmpty() && manifests().size() + errorFiles().size() == jobs);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every input ended: " + manifests().size() + " delivered, " + errorFiles().size() + " failed, "
                    + filesUnder(inbox).size() + " file(s) left in the inbox\n" + problems(nodeA) + "\n" + problems(nodeB), e);
        }
        assertEquals(List.of(), errorFiles());
        for (int i = 1; i <= jobs; i++) {
            assertEquals(1, atlas.submitCountForPrompt("the cat, scene " + i), "job " + i + " submitted once");
        }
        assertEquals(jobs, atlas.jobsCreatedCount(), "nothing paid twice");
        assertEquals(jobs, manifests().stream().map(m -> m.getParent().getFileName().toString()).distinct().count(), "one delivery per input");
        assertTrue(atlas.maxInFlightSeen() <= CAP, "at most " + CAP + " jobs at the provider: " + atlas.maxInFlightSeen());
        assertTrue(takenFromBroker() > takenBeforeRestartEnded, "the nodes use the broker again once it is back");
    }

    /** Jobs first to last: the same image and the prompt "the cat, scene N". */
    private static void dropJobs(Path inbox, int first, int last) throws Exception {
        byte[] image = Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png"));
        for (int i = first; i <= last; i++) {
            Files.write(inbox.resolve("job" + i + ".png"), image);
            Files.writeString(inbox.resolve("job" + i + ".txt"), "the cat, scene " + i);
        }
    }

    private long takenFromBroker() {
        return (nodeA.readLog() + nodeB.readLog()).lines().filter(line -> line.contains("taken from the broker for polling")).count();
    }

    @Test
    void aSubmitCutOffWhenItsNodeDiedIsFoundInTheProviderHistoryByTheNodeThatTakesItOver() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("shared/inbox"));
        nodeA = node("node-a").start();
        awaitStarted(nodeA);
        Files.write(inbox.resolve("hang.png"), Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png")));
        Files.writeString(inbox.resolve("hang.txt"), "[sim:submit-hang] a harbour at night");
        await().atMost(Duration.ofSeconds(60)).until(() -> atlas.jobsCreatedCount() == 1);
        nodeA.kill();

        nodeB = node("node-b").start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(home.resolve("shared/done/hang.txt")));
        assertEquals(1, manifests().size());
        await().atMost(Duration.ofSeconds(30)).until(() -> filesUnder(inbox).isEmpty());
        assertEquals(1, atlas.submitCountForPrompt("[sim:submit-hang] a harbour at night"), "not sent again");
        assertTrue(nodeB.readLog().contains("taken over from node node-a"), nodeB.readLog());
        assertTrue(nodeB.readLog().contains("the submit's answer was lost, but atlas has it as"), nodeB.readLog());
    }

    @Test
    void inputsOfAJobThatEndedOnANodeThatDiedBeforeMovingThemArePutAwayNotRunAgain() throws Exception {
        // what node A would leave had it died between recording a job DELIVERED and moving its inputs:
        // the job ended in the ledger, its inputs in the inbox, claimed by A, whose claims nobody renews
        Path inbox = Files.createDirectories(home.resolve("shared/inbox"));
        nodeA = node("node-a").start();
        awaitStarted(nodeA);
        nodeA.kill();
        Files.write(inbox.resolve("left.png"), Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png")));
        Files.writeString(inbox.resolve("left.txt"), "a lighthouse at dawn");
        JobLedger ledgerOfA = LedgerConfiguration.open(ledgerUrl, PostgresLedger.USER, "", home.resolve("node-a"));
        ledgerOfA.setNode("node-a", true, 4000);
        ledgerOfA.start();
        try {
            Job job = new Job();
            job.setId("job-left-behind");
            job.setSource("folder");
            job.setReceivedAt(Instant.now().toString());
            job.setTicketName("left.txt");
            job.getInputs().addAll(List.of(inbox.resolve("left.txt").toString(), inbox.resolve("left.png").toString()));
            job.setState(JobState.DELIVERED);
            ledgerOfA.record(job);
            assertTrue(new ClusterLedger(ledgerOfA, 4000).claimInput("inbox:left.txt", job.getId()));
        } finally {
            ledgerOfA.stop();
        }

        nodeB = node("node-b").start();
        await().atMost(Duration.ofSeconds(60)).until(() -> filesUnder(inbox).isEmpty());
        assertTrue(Files.exists(home.resolve("shared/done/left.txt")) && Files.exists(home.resolve("shared/done/left.png")));
        assertEquals(0, atlas.submitCount(), "an ended job is not run again");
        assertTrue(nodeB.readLog().contains("Job job-left-behind (DELIVERED) ended on node node-a"), nodeB.readLog());
    }

    @Test
    void theDailyBudgetAndTheRequestBudgetHoldAcrossBothNodes() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("shared/inbox"));
        byte[] image = Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png"));
        // flux-2-pro costs 0.05 a job (config/models.yaml): the day's budget allows exactly 10 of the 24;
        // 4 requests a second is the provider's budget for the cluster: each node takes half
        for (String name : List.of("node-a", "node-b")) {
            DarkroomProcess node = node(name).env("DARKROOM_BUDGET_PER_DAY_USD", "0.52").env("DARKROOM_CLUSTER_MAX_JOBS_PER_NODE", "6")
                    .env("DARKROOM_PROVIDERS_ATLAS_MAX_REQUESTS_PER_SECOND", "4").start();
            if (nodeA == null) {
                nodeA = node;
            } else {
                nodeB = node;
            }
        }
        awaitStarted(nodeA, nodeB);
        // a node counts the others when it renews its leases: both know of each other before work arrives
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.readLog().contains("Request budget: 2 node(s) share atlas")
                && nodeB.readLog().contains("Request budget: 2 node(s) share atlas"));
        int jobs = 24;
        for (int i = 1; i <= jobs; i++) {
            Files.write(inbox.resolve("shot" + i + ".png"), image);
            Files.writeString(inbox.resolve("shot" + i + ".yaml"), "prompt: the cat, take " + i + "\nuseCase: brand\n");
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> filesUnder(inbox).isEmpty() && manifests().size() + heldTickets() == jobs);

        assertEquals(10, atlas.submitCount(), "together the nodes sent exactly what the day's budget allows\n" + nodeA.readLog() + nodeB.readLog());
        assertEquals(10, manifests().size());
        assertEquals(jobs - 10, heldTickets());
        assertTrue(nodeA.readLog().contains("submitted to atlas") && nodeB.readLog().contains("submitted to atlas"), "both nodes took jobs");
        // each node paced at half the rate; a request can arrive a little early or late, one per node
        assertTrue(nodeA.readLog().contains("this node sends up to 2.00") && nodeB.readLog().contains("this node sends up to 2.00"));
        assertTrue(atlas.maxRequestsInAnySecond() <= 6, "the two nodes together kept to 4 requests a second: " + atlas.maxRequestsInAnySecond());
    }

    private List<Path> errorFiles() throws Exception {
        return filesUnder(home.resolve("shared/failed")).stream().filter(f -> f.getFileName().toString().endsWith(".error.json")).toList();
    }

    /** A node's warnings and errors, for a failure message. */
    /** What both nodes logged about the jobs of these files (their stems). */
    private String linesAbout(List<Path> files) {
        String logs = nodeA.readLog() + nodeB.readLog();
        return files.stream().map(file -> file.getFileName().toString().replaceFirst("\\.[^.]*$", ""))
                .flatMap(stem -> logs.lines().filter(line -> line.contains(stem + ".") || line.contains(stem + "-")))
                .collect(Collectors.joining("\n"));
    }

    private static String problems(DarkroomProcess node) {
        List<String> lines = node.readLog().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Both nodes read the shared inbox before the first input arrives. */
    private static void awaitStarted(DarkroomProcess... nodes) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (DarkroomProcess node : nodes) {
                if (!Files.readString(node.log()).contains("Console, /observe")) {
                    return false;
                }
            }
            return true;
        });
    }

    private long heldTickets() throws Exception {
        return filesUnder(home.resolve("shared/held")).stream().filter(f -> f.getFileName().toString().endsWith(".yaml")).count();
    }

    private DarkroomProcess node(String name) throws Exception {
        Path shared = home.resolve("shared");
        DarkroomProcess process = new DarkroomProcess(Files.createDirectories(home.resolve(name)))
                .env("ATLAS_API_KEY", "test-atlas-key").env("OPENAI_API_KEY", "")
                .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl())
                .env("DARKROOM_PROVIDERS_ATLAS_MAX_IN_FLIGHT", String.valueOf(CAP))
                .env("DARKROOM_PROVIDERS_ATLAS_INITIAL_IN_FLIGHT", String.valueOf(CAP))
                .env("DARKROOM_PROVIDERS_ATLAS_MAX_REQUESTS_PER_SECOND", "0")
                .env("DARKROOM_INBOX", shared.resolve("inbox").toString())
                .env("DARKROOM_OUTBOX", shared.resolve("outbox").toString())
                .env("DARKROOM_DONE", shared.resolve("done").toString())
                .env("DARKROOM_FAILED", shared.resolve("failed").toString())
                .env("DARKROOM_HELD", shared.resolve("held").toString())
                .env("DARKROOM_LEDGER_URL", ledgerUrl).env("DARKROOM_LEDGER_USER", PostgresLedger.USER)
                .env("DARKROOM_CLUSTER_ENABLED", "true").env("DARKROOM_CLUSTER_MAX_JOBS_PER_NODE", "15").env("DARKROOM_CLUSTER_NODE_ID", name)
                .env("DARKROOM_CLUSTER_BROKER_URL", RabbitBroker.URL).env("DARKROOM_CLUSTER_POLL_QUEUE", pollQueue)
                .env("DARKROOM_CLUSTER_LEASE", "4s").env("DARKROOM_CLUSTER_LEASE_RENEW_INTERVAL", "1s")
                .env("DARKROOM_CLUSTER_TAKEOVER_INTERVAL", "1s").env("DARKROOM_CLUSTER_SLOT_RETRY_INTERVAL", "200ms")
                .env("DARKROOM_INTAKE_MIN_AGE", "200ms").env("DARKROOM_INTAKE_POLL_INTERVAL", "300ms")
                .env("DARKROOM_POLL_INITIAL_DELAY", "500ms").env("DARKROOM_POLL_MAX_DELAY", "1s");
        return process;
    }

    private List<Path> manifests() throws Exception {
        return filesUnder(home.resolve("shared/outbox")).stream()
                .filter(p -> p.getFileName().toString().equals(p.getParent().getFileName() + ".json")).toList();
    }

    /** The files under a folder the nodes are moving files out of: a walk that meets a file just moved starts again. */
    private static List<Path> filesUnder(Path folder) throws Exception {
        while (true) {
            if (!Files.isDirectory(folder)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(folder)) {
                return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".darkroom.lock")).toList();
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException moved) {
                // a file or folder went away between listing and reading it: look again
            }
        }
    }
}
