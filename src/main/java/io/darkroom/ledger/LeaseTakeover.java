package io.darkroom.ledger;

import io.darkroom.deliver.OutboxTidy;
import io.darkroom.intake.JobClaims;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cluster mode: this node keeps the leases on its unfinished jobs, and takes over the jobs of a
 * node whose leases ran out (it died, or lost the ledger). A job taken over goes on from where the
 * ledger says it stopped, exactly as after a restart (route resume-job): one that was at the
 * provider is polled, never submitted again; one that had not reached the provider yet fails here
 * and its inputs, still in the inbox, are picked up again as a new job by whichever node claims them.
 */
public class LeaseTakeover {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTakeover.class);

    private final JobLedger ledger;
    private final ClusterLedger cluster;
    private final JobClaims claims;

    public LeaseTakeover(JobLedger ledger, ClusterLedger cluster, JobClaims claims) {
        this.ledger = ledger;
        this.cluster = cluster;
        this.claims = claims;
    }

    public int renew() {
        return cluster.renewLeases();
    }

    /** The jobs taken over now that go on (SUBMITTING, SUBMITTED, COMPLETED), for route resume-job. */
    public List<Job> takeOver() {
        int orphans = cluster.releaseOrphanClaims();
        if (orphans > 0) {
            LOG.info("{} input(s) claimed by a node that stopped before recording their job are free to claim again", orphans);
        }
        List<Job> resume = new ArrayList<>();
        for (Job job : cluster.takeOverExpired()) {
            String formerNode = job.getNode();
            LOG.info("Job {} ({}) taken over from node {}, whose lease on it ran out", job.getId(), job.getState(), formerNode);
            if (job.getState() == JobState.RECEIVED || job.getState() == JobState.PLANNED) {
                job.setErrorCode(ErrorCode.INTERNAL);
                job.setErrorMessage("Node " + formerNode + " stopped before this job was submitted; the inputs are picked up again as a new job.");
                ledger.transition(job, JobState.FAILED);
                cluster.freeSlot(job.getId());
                cluster.releaseInputs(job.getId());
                continue;
            }
            job.getInputs().forEach(input -> claims.claim(Path.of(input)));
            removePartialOutputs(job);
            resume.add(job);
        }
        return resume;
    }

    /**
     * Ended jobs whose node died before putting their inputs away or letting their claims go: this
     * node took their claims, and route take-over-expired-leases puts the inputs away and releases them.
     */
    public List<Job> endedJobsLeftBehind() {
        List<Job> ended = new ArrayList<>();
        for (String id : cluster.takeOverClaimsOfEndedJobs()) {
            Job job = ledger.find(id);
            if (job != null) {
                LOG.info("Job {} ({}) ended on node {}, which stopped before putting its inputs away; doing it here", id, job.getState(), job.getNode());
                ended.add(job);
            } else {
                cluster.releaseInputs(id);
            }
        }
        return ended;
    }

    /** The former node may have died while writing this job's outputs into a folder destination. */
    private static void removePartialOutputs(Job job) {
        for (String destination : job.getDestinations()) {
            if (destination.startsWith("file:")) {
                try {
                    new OutboxTidy(Path.of(destination.substring(5)).resolve(job.getId())).removeLeftovers();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Job {}: partial files under {} not removed: {}", job.getId(), destination, e.getMessage());
                }
            }
        }
    }
}
