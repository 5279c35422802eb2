package io.darkroom.ledger;

import io.darkroom.job.Job;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What nodes sharing one ledger decide through it: who claims an input (a unique key: the insert
 * that wins), who holds an unfinished job (a lease the holder renews; a lease run out is taken over
 * by exactly one other node), and how many jobs a provider has in flight across all nodes (slot
 * rows, counted and taken under a lock the database holds for the cluster).
 */
public class ClusterLedger {

    /** Claims on mails are kept after their job ends: the mail has been read (marked seen) and is never taken again. */
    public static final String MAIL_CLAIM_PREFIX = "mail:";

    private final JobLedger ledger;
    private final long leaseMillis;

    public ClusterLedger(JobLedger ledger, long leaseMillis) {
        this.ledger = ledger;
        this.leaseMillis = leaseMillis;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private OffsetDateTime leaseEnd() {
        return now().plusNanos(leaseMillis * 1_000_000);
    }

    // --- input claims -----------------------------------------------------------------------

    /** True when this node claimed the input for the job now; false when another job (on any node) holds it. */
    public boolean claimInput(String inputKey, String jobId) {
        try (Connection c = ledger.connection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO darkroom_input_claims (input_key, job_id, node_id, claimed_at) VALUES (?, ?, ?, ?)")) {
            p.setString(1, inputKey);
            p.setString(2, jobId);
            p.setString(3, ledger.nodeId());
            p.setObject(4, now());
            p.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (JobLedger.isConstraintViolation(e)) {
                return false;
            }
            throw new IllegalStateException("ledger write failed (input claim): " + e.getMessage(), e);
        }
    }

    /** The keys of every input some job holds now, so a scan skips them without trying. */
    public Set<String> claimedInputs() {
        Set<String> keys = new HashSet<>();
        try (Connection c = ledger.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT input_key FROM darkroom_input_claims")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /** The job ended (its inputs left the inbox, or stay there to be picked up again): its inputs may be claimed anew. */
    public void releaseInputs(String jobId) {
        ledger.update("input claims", "DELETE FROM darkroom_input_claims WHERE job_id = ? AND input_key NOT LIKE '" + MAIL_CLAIM_PREFIX + "%'", jobId);
    }

    /**
     * This node takes on a job another node held (a lease taken over, a hand-off received): the
     * job's input claims come with it, so they are renewed by the node that will put the inputs
     * away, and go stale, to be taken over, should this node die before doing so.
     */
    public void moveClaimsHere(String jobId) {
        ledger.update("input claims", "UPDATE darkroom_input_claims SET node_id = ?, claimed_at = ? WHERE job_id = ? AND input_key NOT LIKE '"
                + MAIL_CLAIM_PREFIX + "%'", ledger.nodeId(), now(), jobId);
    }

    // --- leases -----------------------------------------------------------------------------

    /**
     * Pushes the end of the lease of every unfinished job this node holds, and marks its input claims
     * as alive: a claim whose node stopped renewing and that never became a job is released (below).
     */
    public int renewLeases() {
        try (Connection c = ledger.connection(); PreparedStatement p = c.prepareStatement(
                "UPDATE darkroom_jobs SET lease_until = ? WHERE owner_node = ? AND state IN " + JobLedger.UNFINISHED);
             PreparedStatement claims = c.prepareStatement("UPDATE darkroom_input_claims SET claimed_at = ? WHERE node_id = ?")) {
            p.setObject(1, leaseEnd());
            p.setString(2, ledger.nodeId());
            claims.setObject(1, now());
            claims.setString(2, ledger.nodeId());
            claims.executeUpdate();
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed (lease renewal): " + e.getMessage(), e);
        }
    }

    /**
     * Marks this node alive and answers how many nodes are (marked within a lease): they share each
     * provider's request budget, so together they send no more requests than one node would.
     */
    public int markAliveAndCountNodes() {
        OffsetDateTime now = now();
        if (ledger.update("node list", "UPDATE darkroom_nodes SET seen_at = ? WHERE node_id = ?", now, ledger.nodeId()) == 0) {
            try {
                ledger.update("node list", "INSERT INTO darkroom_nodes (node_id, seen_at) VALUES (?, ?)", ledger.nodeId(), now);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof SQLException sql && JobLedger.isConstraintViolation(sql))) {
                    throw e;
                }
            }
        }
        try (Connection c = ledger.connection(); PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM darkroom_nodes WHERE seen_at > ?")) {
            p.setObject(1, now.minusNanos(leaseMillis * 1_000_000));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed (node list): " + e.getMessage(), e);
        }
    }

    /**
     * Releases the input claims of nodes that stopped renewing them (for a whole lease) and whose job
     * never reached the ledger: the node died between claiming an input and recording its job, so
     * nothing was sent for it, and the input in the inbox is claimed again by a node alive. Claims
     * whose job is in the ledger go with that job (its lease is taken over); mail claims stay.
     */
    public int releaseOrphanClaims() {
        return ledger.update("orphan claims", "DELETE FROM darkroom_input_claims WHERE node_id <> ? AND claimed_at < ? AND input_key NOT LIKE '"
                + MAIL_CLAIM_PREFIX + "%' AND NOT EXISTS (SELECT 1 FROM darkroom_jobs j WHERE j.id = darkroom_input_claims.job_id)",
                ledger.nodeId(), now().minusNanos(leaseMillis * 1_000_000));
    }

    /**
     * Takes over the input claims of ended jobs whose node stopped renewing them: that node died
     * after recording the job's end and before putting its inputs away (or before letting the
     * claims go). Each claim passes to exactly one node, which puts the inputs away and releases
     * them. Returns the ids of the jobs this node took.
     */
    public List<String> takeOverClaimsOfEndedJobs() {
        record Stale(String jobId, String node) {
        }
        List<Stale> stale = new ArrayList<>();
        OffsetDateTime expired = now().minusNanos(leaseMillis * 1_000_000);
        List<String> taken = new ArrayList<>();
        try (Connection c = ledger.connection()) {
            try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT k.job_id, k.node_id FROM darkroom_input_claims k JOIN darkroom_jobs j ON j.id = k.job_id "
                    + "WHERE k.node_id <> ? AND k.claimed_at < ? AND k.input_key NOT LIKE '" + MAIL_CLAIM_PREFIX + "%' AND j.state NOT IN " + JobLedger.UNFINISHED)) {
                p.setString(1, ledger.nodeId());
                p.setObject(2, expired);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        stale.add(new Stale(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            for (Stale claim : stale) {
                try (PreparedStatement p = c.prepareStatement("UPDATE darkroom_input_claims SET node_id = ?, claimed_at = ? "
                        + "WHERE job_id = ? AND node_id = ? AND claimed_at < ?")) {
                    p.setString(1, ledger.nodeId());
                    p.setObject(2, now());
                    p.setString(3, claim.jobId());
                    p.setString(4, claim.node());
                    p.setObject(5, expired);
                    if (p.executeUpdate() > 0) {
                        taken.add(claim.jobId());
                    }
                }
            }
            return taken;
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed (claims of ended jobs): " + e.getMessage(), e);
        }
    }

    /**
     * Takes over the unfinished jobs of other nodes whose lease ran out (and jobs handed off through
     * the broker that no node took within a lease): each job's owner is changed
     * only if it is still the one seen with the expired lease, so of several nodes trying at once
     * exactly one gets each job. Returns the jobs this node holds now, as the ledger has them.
     */
    public List<Job> takeOverExpired() {
        record Expired(String id, String owner) {
        }
        List<Expired> expired = new ArrayList<>();
        List<Job> taken = new ArrayList<>();
        try (Connection c = ledger.connection()) {
            try (PreparedStatement p = c.prepareStatement("SELECT id, owner_node FROM darkroom_jobs WHERE state IN " + JobLedger.UNFINISHED
                    + " AND lease_until < ? AND (owner_node IS NULL OR owner_node <> ?) ORDER BY received_at")) {
                p.setObject(1, now());
                p.setString(2, ledger.nodeId());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new Expired(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            for (Expired job : expired) {
                // a job without owner was handed off through the broker (BrokerHandOffs) and not taken within a lease
                try (PreparedStatement p = c.prepareStatement("UPDATE darkroom_jobs SET owner_node = ?, lease_until = ? WHERE id = ? AND "
                        + (job.owner() == null ? "owner_node IS NULL" : "owner_node = ?") + " AND lease_until < ? AND state IN " + JobLedger.UNFINISHED)) {
                    int i = 0;
                    p.setString(++i, ledger.nodeId());
                    p.setObject(++i, leaseEnd());
                    p.setString(++i, job.id());
                    if (job.owner() != null) {
                        p.setString(++i, job.owner());
                    }
                    p.setObject(++i, now());
                    if (p.executeUpdate() == 1) {
                        moveClaimsHere(job.id());
                        Job held = ledger.find(job.id());
                        if (held != null) {
                            taken.add(held);
                        }
                    }
                }
            }
            return taken;
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed (lease take-over): " + e.getMessage(), e);
        }
    }

    // --- provider slots ---------------------------------------------------------------------

    /**
     * Takes one of a provider's {@code cap} slots for the job when fewer are taken across the
     * cluster; counted and taken under the provider's cluster lock, so two nodes never both take
     * the last one. A slot of a job that ended (or was never freed by a node that died and whose
     * job was then failed) does not count.
     */
    public boolean takeSlot(String provider, String jobId, int cap) {
        return underLock("slots:" + provider, () -> {
            try (Connection c = ledger.connection()) {
                try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM darkroom_provider_slots s JOIN darkroom_jobs j ON j.id = s.job_id "
                        + "WHERE s.provider = ? AND s.job_id <> ? AND j.state IN ('PLANNED','SUBMITTING','SUBMITTED')")) {
                    p.setString(1, provider);
                    p.setString(2, jobId);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= cap) {
                            return false;
                        }
                    }
                }
                putSlot(c, provider, jobId);
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("ledger write failed (provider slot): " + e.getMessage(), e);
            }
        });
    }

    /** A job already at its provider (taken over from a node that died) holds its slot whatever the count. */
    public void occupySlot(String provider, String jobId) {
        try (Connection c = ledger.connection()) {
            putSlot(c, provider, jobId);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed (provider slot): " + e.getMessage(), e);
        }
    }

    /**
     * The job's slot row, moved to this node in one statement when it exists: a delete and a new
     * insert would leave a moment in which another node counts one slot fewer and takes it.
     */
    private void putSlot(Connection c, String provider, String jobId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE darkroom_provider_slots SET provider = ?, node_id = ?, taken_at = ? WHERE job_id = ?")) {
            update.setString(1, provider);
            update.setString(2, ledger.nodeId());
            update.setObject(3, now());
            update.setString(4, jobId);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO darkroom_provider_slots (job_id, provider, node_id, taken_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, jobId);
            insert.setString(2, provider);
            insert.setString(3, ledger.nodeId());
            insert.setObject(4, now());
            insert.executeUpdate();
        } catch (SQLException e) {
            // taken by another node's statement in between: the row exists, which is all that counts
            if (!JobLedger.isConstraintViolation(e)) {
                throw e;
            }
        }
    }

    public void freeSlot(String jobId) {
        ledger.update("provider slot", "DELETE FROM darkroom_provider_slots WHERE job_id = ?", jobId);
    }

    // --- cluster lock -----------------------------------------------------------------------

    /**
     * Runs {@code work} while holding a lock of this name for the whole cluster: a PostgreSQL
     * advisory lock on a connection of its own (released by the server if the node dies), or a
     * lock in this JVM when the ledger is not shared.
     */
    public <T> T underLock(String name, Supplier<T> work) {
        if (!ledger.isShared()) {
            return ledger.underLocalLock(work);
        }
        long key = lockKey(name);
        try (Connection c = ledger.connection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, key);
                lock.execute();
            }
            try {
                return work.get();
            } finally {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, key);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger lock " + name + " failed: " + e.getMessage(), e);
        }
    }

    static long lockKey(String name) {
        long hash = 1125899906842597L;
        for (byte b : ("darkroom:" + name).getBytes(StandardCharsets.UTF_8)) {
            hash = 31 * hash + b;
        }
        return hash;
    }
}
