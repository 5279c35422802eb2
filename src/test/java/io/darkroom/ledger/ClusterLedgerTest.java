package io.darkroom.ledger;

import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.plan.Plan;
import io.darkroom.wiring.LedgerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What two nodes decide through one PostgreSQL ledger: input claims, leases and their take-over, provider slots. */
class ClusterLedgerTest {

    @TempDir
    Path data;
    private JobLedger ledgerA;
    private JobLedger ledgerB;
    private ClusterLedger nodeA;
    private ClusterLedger nodeB;

    @BeforeEach
    void open() throws Exception {
        String url = PostgresLedger.freshSchemaUrl();
        ledgerA = LedgerConfiguration.open(url, PostgresLedger.USER, "", data);
        ledgerA.setNode("node-a", true, 2000);
        ledgerA.start();
        ledgerB = LedgerConfiguration.open(url, PostgresLedger.USER, "", data);
        ledgerB.setNode("node-b", true, 2000);
        ledgerB.start();
        nodeA = new ClusterLedger(ledgerA, 2000);
        nodeB = new ClusterLedger(ledgerB, 2000);
    }

    @AfterEach
    void close() {
        ledgerA.stop();
        ledgerB.stop();
    }

    @Test
    void anInputIsClaimedByOneNodeUntilItsJobEnds() {
        assertTrue(nodeA.claimInput("inbox:cat.txt", "job-a"));
        assertFalse(nodeB.claimInput("inbox:cat.txt", "job-b"), "the second insert loses");
        assertTrue(nodeB.claimedInputs().contains("inbox:cat.txt"));
        nodeA.releaseInputs("job-a");
        assertTrue(nodeB.claimInput("inbox:cat.txt", "job-b"), "free again once the job ended");

        assertTrue(nodeA.claimInput("mail:<1@example.com>", "job-m"));
        nodeA.releaseInputs("job-m");
        assertFalse(nodeB.claimInput("mail:<1@example.com>", "job-n"), "a mail is read once: its claim stays");
    }

    @Test
    void anExpiredLeaseIsTakenOverByOneNodeAndTheFormerHolderCanNoLongerWriteTheJob() {
        Job job = job("job-1", JobState.SUBMITTED);
        ledgerA.record(job);
        assertEquals(List.of(), nodeB.takeOverExpired(), "a live lease is not taken");

        await().until(() -> !nodeB.takeOverExpired().isEmpty());
        assertEquals(List.of(), nodeA.takeOverExpired(), "node B holds it now, under a fresh lease");

        job.setPolls(7);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ledgerA.record(job));
        assertTrue(refused.getMessage().contains("held by another node"), refused.getMessage());
        assertEquals(0, ledgerB.find("job-1").getPolls(), "node A's write did not land");

        Job taken = ledgerB.find("job-1");
        ledgerB.record(taken);
        assertEquals("node-b", ledgerA.find("job-1").getNode(), "the new holder writes it");
        // node B renews: the job stays its own
        for (int i = 0; i < 5; i++) {
            nodeB.renewLeases();
            assertEquals(List.of(), nodeA.takeOverExpired());
        }
        ledgerB.transition(taken, JobState.DELIVERED);
    }

    @Test
    void aHandedOffJobsClaimsGoWithItSoTheyAreTakenOverWhenItsNewNodeDiesPuttingItsInputsAway() {
        ledgerA.record(job("job-h", JobState.SUBMITTED));
        assertTrue(nodeA.claimInput("inbox:cat.txt", "job-h"));
        BrokerHandOffs fromA = new BrokerHandOffs(ledgerA, nodeA, 2000, true);
        BrokerHandOffs toB = new BrokerHandOffs(ledgerB, nodeB, 2000, true);
        Job received = toB.take(fromA.letGo(ledgerA.find("job-h")));

        // node B ends the job and dies before putting its inputs away; node A lives on, renewing what it holds
        ledgerB.transition(received, JobState.DELIVERED);
        await().until(() -> {
            nodeA.renewLeases();
            return nodeA.takeOverClaimsOfEndedJobs().equals(List.of("job-h"));
        });
        assertEquals(List.of(), nodeB.takeOverClaimsOfEndedJobs(), "one node takes them");
    }

    @Test
    void aProvidersSlotsAreCountedAcrossNodes() {
        for (int i = 1; i <= 3; i++) {
            ledgerA.record(job("a" + i, JobState.PLANNED));
            ledgerB.record(job("b" + i, JobState.PLANNED));
        }
        assertTrue(nodeA.takeSlot("atlas", "a1", 3));
        assertTrue(nodeB.takeSlot("atlas", "b1", 3));
        assertTrue(nodeA.takeSlot("atlas", "a2", 3));
        assertFalse(nodeB.takeSlot("atlas", "b2", 3), "three of three taken, across both nodes");
        nodeA.freeSlot("a1");
        assertTrue(nodeB.takeSlot("atlas", "b2", 3));

        // a slot whose job ended without freeing it (a node died, its job was failed on take-over) does not count
        Job ended = ledgerA.find("a2");
        ledgerA.transition(ended, JobState.FAILED);
        assertTrue(nodeB.takeSlot("atlas", "b3", 3));
    }

    @Test
    void nodesThatMarkThemselvesAliveAreCountedUntilTheyStopForALease() {
        assertEquals(1, nodeA.markAliveAndCountNodes(), "alone so far");
        assertEquals(2, nodeB.markAliveAndCountNodes());
        assertEquals(2, nodeA.markAliveAndCountNodes(), "marking again does not add a node");
        // node B stops marking itself alive (it died): after a lease node A is alone again
        await().until(() -> nodeA.markAliveAndCountNodes() == 1);
    }

    private static Job job(String id, JobState state) {
        Job job = new Job();
        job.setId(id);
        job.setReceivedAt(Instant.now().toString());
        job.setPlan(new Plan("brand", "black-forest-labs/flux-2-pro", "atlas", "black-forest-labs/flux-2-pro", "test", 0.05));
        job.setState(state);
        return job;
    }
}
