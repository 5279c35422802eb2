package io.darkroom.ledger;

import io.darkroom.job.Job;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Cluster mode with a broker (darkroom.cluster.broker-url): a job handed from one stage to the next
 * through a durable RabbitMQ queue belongs to no node while it is there. The ledger says so: the
 * sending node lets go of the job (no owner; its lease runs on) before the message leaves, and the node that
 * receives it takes it with a conditional write, so a message delivered twice (the broker redelivers
 * what a node received but did not acknowledge) finds the job already taken and is dropped. The
 * message carries the job id only; the job itself is read from the ledger.
 */
public class BrokerHandOffs {

    private final JobLedger ledger;
    private final ClusterLedger cluster;
    private final long leaseMillis;
    private final boolean enabled;

    public BrokerHandOffs(JobLedger ledger, ClusterLedger cluster, long leaseMillis, boolean enabled) {
        this.ledger = ledger;
        this.cluster = cluster;
        this.leaseMillis = leaseMillis;
        this.enabled = enabled;
    }

    /**
     * True when this job goes on through the broker: hand-offs are on and its inputs are in the
     * shared inbox. A job from the bucket or the mailbox stays on its node: its staged objects or
     * its spooled mail are in that node's data folder, and are cleared when the job ends there.
     */
    public boolean travels(Job job) {
        return enabled && "folder".equals(job.getSource());
    }

    /**
     * This node lets go of the job it is about to hand off; returns its id, the message. The lease
     * stays: should the message never arrive (this node died before sending it), the job is taken
     * over when the lease runs out, like any other; one that arrives after that finds it taken.
     */
    public String letGo(Job job) {
        if (ledger.update("hand-off", "UPDATE darkroom_jobs SET owner_node = NULL, lease_until = ? WHERE id = ? AND owner_node = ?",
                leaseEnd(), job.getId(), ledger.nodeId()) != 1) {
            throw new IllegalStateException("Job " + job.getId() + " is not held by this node any more; not handed off");
        }
        return job.getId();
    }

    /**
     * Takes the job a message names, when nobody holds it (the broker may deliver a message twice,
     * or after the sender took the job back): the job as the ledger has it, or null when it is
     * already held or ended.
     */
    public Job take(String jobId) {
        return own(jobId) ? ledger.find(jobId) : null;
    }

    /** The broker could not be reached: the job stays here, unless another node already took it (null). */
    public Job keep(Job job) {
        return own(job.getId()) ? job : null;
    }

    private boolean own(String jobId) {
        if (ledger.update("hand-off", "UPDATE darkroom_jobs SET owner_node = ?, lease_until = ? WHERE id = ? AND owner_node IS NULL AND state IN "
                + JobLedger.UNFINISHED, ledger.nodeId(), leaseEnd(), jobId) != 1) {
            return false;
        }
        // the sender renews the claims of its inputs while it lives: a node that died putting them away would leave them claimed for good
        cluster.moveClaimsHere(jobId);
        return true;
    }

    private OffsetDateTime leaseEnd() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusNanos(leaseMillis * 1_000_000);
    }
}
