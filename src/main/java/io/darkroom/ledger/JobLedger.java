package io.darkroom.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.job.Json;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job ledger: one row per job, written on every state change before the pipeline moves on, so
 * a crash loses nothing and a restart knows what was already paid for. Plain JDBC with the same SQL
 * on embedded H2 (default) and PostgreSQL, through a connection pool (HikariCP) so several stages
 * (and, on PostgreSQL, several nodes) write at once; the schema is migrated by Flyway from the
 * versioned scripts under db/. A Camel service: opened and migrated when the context starts,
 * closed when it stops.
 */
public class JobLedger extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobLedger.class);
    /** The history table of the migration runner before Flyway: its highest version is Flyway's baseline. */
    private static final String OLD_HISTORY = "darkroom_schema";

    /** The jobs that cost money: planned for a paid provider from planning on, and failed ones that reached it. */
    private static final String SPENDING = "AND (state IN ('PLANNED','SUBMITTING','SUBMITTED','COMPLETED','DELIVERED','SUBMIT_UNKNOWN') "
            + "OR (state = 'FAILED' AND submitted_at IS NOT NULL))";

    private final String url;
    private final String user;
    private final String password;
    private final int poolSize;
    private final ObjectMapper json = Json.MAPPER;
    private HikariDataSource pool;
    /** This node's name, written with every job it records; in cluster mode also who holds the job's lease. */
    private volatile String nodeId = "";
    private volatile boolean cluster;
    private volatile long leaseMillis = 30_000;
    private final java.util.concurrent.locks.ReentrantLock localLock = new java.util.concurrent.locks.ReentrantLock();

    /** States in which a job is still someone's work: held under a lease in cluster mode. */
    static final String UNFINISHED = "('RECEIVED','PLANNED','SUBMITTING','SUBMITTED','COMPLETED')";

    public JobLedger(String url, String user, String password) {
        this(url, user, password, 10);
    }

    public JobLedger(String url, String user, String password, int poolSize) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.poolSize = Math.max(1, poolSize);
    }

    /**
     * Names this node. In cluster mode every job it records is held under a lease of
     * {@code leaseMillis}, and a job another node has taken over can no longer be written by this
     * one (the write fails, so a node that lost a job never submits or delivers it).
     */
    public void setNode(String nodeId, boolean cluster, long leaseMillis) {
        this.nodeId = nodeId == null ? "" : nodeId;
        this.cluster = cluster;
        this.leaseMillis = leaseMillis;
    }

    public String nodeId() {
        return nodeId;
    }

    public boolean isCluster() {
        return cluster;
    }

    /** Runs work under this JVM's ledger lock (a ledger only this node uses needs no more). */
    <T> T underLocalLock(java.util.function.Supplier<T> work) {
        localLock.lock();
        try {
            return work.get();
        } finally {
            localLock.unlock();
        }
    }

    /** True when the ledger is a PostgreSQL server (the only kind several nodes can share). */
    public boolean isShared() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    protected synchronized void doStart() {
        try {
            pool = new HikariDataSource(poolConfig());
            migrate();
        } catch (RuntimeException | SQLException e) {
            if (pool != null) {
                pool.close();
                pool = null;
            }
            Throwable cause = rootCause(e);
            String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("The job ledger (" + redactedUrl().replaceAll(";.*$", "") + ") cannot be opened: " + detail
                    + ". If it is a database server, check that it runs and the settings (darkroom.ledger.*) are right. If the embedded "
                    + "ledger file under the data folder is damaged, restore it from a backup, or move it aside to start with an empty "
                    + "ledger: unfinished jobs' inputs are still in the inbox and run again, and inputs already paid for are no longer "
                    + "recognised as such.", e);
        }
    }

    /** The JDBC URL without anything that could be a credential (query parameters). */
    private String redactedUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private HikariConfig poolConfig() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("darkroom-ledger");
        config.setAutoCommit(true);
        // a ledger that does not answer fails the step in seconds (the job is retried or quarantined), not after 30
        config.setConnectionTimeout(10_000);
        return config;
    }

    /** A pooled connection; every caller closes it (returns it to the pool) when done. */
    Connection connection() throws SQLException {
        HikariDataSource ds = pool;
        if (ds == null) {
            throw new SQLException("the ledger is not open");
        }
        return ds.getConnection();
    }

    /** Runs one statement with these parameters for the cluster's bookkeeping; returns the rows it changed. */
    int update(String what, String sql, Object... values) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed (" + what + "): " + e.getMessage(), e);
        }
    }

    /**
     * Flyway applies the scripts under db/ (V1, V2, ...). A ledger created by the runner before
     * Flyway has its own history table with the versions it applied; Flyway takes the highest of
     * them as its baseline and applies only what comes after, so an existing data folder upgrades
     * in place.
     */
    private void migrate() throws SQLException {
        Integer oldVersion = oldRunnerVersion();
        var flyway = Flyway.configure().dataSource(pool).locations("classpath:db");
        if (oldVersion != null) {
            flyway.baselineOnMigrate(true).baselineVersion(String.valueOf(oldVersion))
                    .baselineDescription("applied by the runner before Flyway");
        }
        var result = flyway.load().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Ledger schema migrated to version {}", result.targetSchemaVersion);
        }
    }

    /** The version the pre-Flyway runner recorded, or null when this ledger never had it (or already moved to Flyway). */
    private Integer oldRunnerVersion() throws SQLException {
        try (Connection c = connection()) {
            if (!hasTable(c, OLD_HISTORY) || hasTable(c, "flyway_schema_history")) {
                return null;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + OLD_HISTORY)) {
                return rs.next() && rs.getInt(1) > 0 ? rs.getInt(1) : null;
            }
        }
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, schema, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Moves the job to a state and makes that durable before returning. */
    public void transition(Job job, JobState state) {
        job.setState(state);
        record(job);
    }

    public void record(Job job) {
        job.setNode(nodeId.isEmpty() ? null : nodeId);
        String body;
        try {
            body = json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.getId() + " cannot be written to the ledger", e);
        }
        try (Connection c = connection()) {
            // in cluster mode only the node holding the job writes it: a node that lost its lease is refused
            try (PreparedStatement update = c.prepareStatement("UPDATE darkroom_jobs SET dedupe_key=?, state=?, use_case=?, model=?, provider=?, "
                    + "provider_job_id=?, poll_url=?, polls=?, estimated_usd=?, actual_usd=?, error_code=?, error_message=?, received_at=?, "
                    + "submitted_at=?, updated_at=?, job_json=?, owner_node=?, lease_until=? WHERE id=?"
                    + (cluster ? " AND (owner_node IS NULL OR owner_node = ?)" : ""))) {
                bind(update, job, body);
                update.setString(19, job.getId());
                if (cluster) {
                    update.setString(20, nodeId);
                }
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO darkroom_jobs (dedupe_key, state, use_case, model, provider, "
                    + "provider_job_id, poll_url, polls, estimated_usd, actual_usd, error_code, error_message, received_at, submitted_at, "
                    + "updated_at, job_json, owner_node, lease_until, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                bind(insert, job, body);
                insert.setString(19, job.getId());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (cluster && isConstraintViolation(e)) {
                    throw new IllegalStateException("job " + job.getId() + " is held by another node now (this node's lease on it ran out); "
                            + "this node leaves it alone");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger write failed for job " + job.getId() + ": " + e.getMessage(), e);
        }
    }

    private void bind(PreparedStatement p, Job job, String body) throws SQLException {
        p.setString(1, job.getDedupeKey());
        p.setString(2, job.getState().name());
        p.setString(3, job.getPlan() == null ? null : job.getPlan().getUseCase());
        p.setString(4, job.getPlan() == null ? null : job.getPlan().getModel());
        p.setString(5, job.getProvider());
        p.setString(6, job.getProviderJobId());
        p.setString(7, job.getPollUrl());
        p.setInt(8, job.getPolls());
        p.setBigDecimal(9, job.getPlan() == null ? null : BigDecimal.valueOf(job.getPlan().getEstimatedCostUsd()));
        p.setBigDecimal(10, job.getActualCostUsd() == null ? null : BigDecimal.valueOf(job.getActualCostUsd()));
        p.setString(11, job.getErrorCode() == null ? null : job.getErrorCode().name());
        p.setString(12, truncate(job.getErrorMessage()));
        p.setObject(13, timestamp(job.getReceivedAt()));
        p.setObject(14, timestamp(job.getSubmittedAt()));
        p.setTimestamp(15, Timestamp.from(Instant.now()));
        p.setString(16, body);
        p.setString(17, job.getNode());
        p.setObject(18, job.getState().isFinal() ? null : OffsetDateTime.now(ZoneOffset.UTC).plusNanos(leaseMillis * 1_000_000));
    }

    static boolean isConstraintViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** An ISO-8601 instant as the job carries it, as a timestamp column takes it. */
    private static OffsetDateTime timestamp(String instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    public List<Job> inStates(JobState... states) {
        StringBuilder sql = new StringBuilder("SELECT job_json FROM darkroom_jobs WHERE state IN (");
        for (int i = 0; i < states.length; i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(") ORDER BY received_at, id");
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < states.length; i++) {
                p.setString(i + 1, states[i].name());
            }
            return read(p);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /**
     * The newest other job with this dedupe key that reached its provider (or is on its way there),
     * or null. Jobs that failed or were held before any submit do not count: nothing was paid for them.
     */
    public Job latestSentWithDedupeKey(String dedupeKey, String exceptJobId) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(
                "SELECT job_json FROM darkroom_jobs WHERE dedupe_key=? AND id<>? AND (submitted_at IS NOT NULL "
                        + "OR state IN ('RECEIVED','PLANNED','SUBMITTING','SUBMITTED','COMPLETED','SUBMIT_UNKNOWN')) "
                        + "AND state <> 'HELD' ORDER BY updated_at DESC")) {
            p.setString(1, dedupeKey);
            p.setString(2, exceptJobId);
            List<Job> jobs = read(p);
            return jobs.isEmpty() ? null : jobs.get(0);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    public Job find(String id) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("SELECT job_json FROM darkroom_jobs WHERE id=?")) {
            p.setString(1, id);
            List<Job> jobs = read(p);
            return jobs.isEmpty() ? null : jobs.get(0);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    public List<Job> all(int limit) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("SELECT job_json FROM darkroom_jobs ORDER BY updated_at DESC")) {
            p.setMaxRows(limit);
            return read(p);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /**
     * What paid providers cost since a moment: the actual cost where known, else the estimate, of
     * every job planned for a paid provider (counted from planning on, so jobs accepted at the
     * same moment cannot together pass the budget) and of failed jobs that reached the provider.
     */
    public double spentSince(Instant since, String offlineProvider) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("SELECT COALESCE(SUM(COALESCE(actual_usd, estimated_usd)), 0) FROM darkroom_jobs "
                + "WHERE provider <> ? AND COALESCE(submitted_at, received_at) >= ? " + SPENDING)) {
            p.setString(1, offlineProvider);
            p.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /** Jobs counted by state, use case and model (the last two may be null), for the metrics. */
    public record JobCount(String state, String useCase, String model, long jobs) {
    }

    public List<JobCount> countByStateUseCaseModel() {
        List<JobCount> counts = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(
                "SELECT state, use_case, model, COUNT(*) FROM darkroom_jobs GROUP BY state, use_case, model");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                counts.add(new JobCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Spend in USD per model, counted as the budget counts it ({@link #spentSince}): the actual cost
     * where known, else the estimate, of jobs for paid providers, all time.
     */
    public java.util.Map<String, Double> spendByModel(String offlineProvider) {
        java.util.Map<String, Double> spend = new java.util.TreeMap<>();
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("SELECT model, SUM(COALESCE(actual_usd, estimated_usd)) FROM darkroom_jobs "
                + "WHERE provider <> ? AND model IS NOT NULL " + SPENDING + " GROUP BY model")) {
            p.setString(1, offlineProvider);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    spend.put(rs.getString(1), rs.getDouble(2));
                }
            }
            return spend;
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Proves the ledger takes writes now: a row is inserted and rolled back. Throws with the
     * database's reason when it cannot (disk full, read-only, locked, unreachable).
     */
    public void checkWritable() {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO darkroom_jobs (id, state, polls, updated_at, job_json) VALUES (?, 'RECEIVED', 0, ?, '{}')")) {
                // a ledger that only waits (locked, server stalled) counts as not writable either
                insert.setQueryTimeout(5);
                insert.setString(1, "health-probe-" + Thread.currentThread().getId());
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger not writable: " + e.getMessage(), e);
        }
    }

    /** Keeps the in-flight limit learned for a provider, so the next start begins near it. */
    public void saveLearnedLimit(String provider, int inFlight) {
        try (Connection c = connection(); PreparedStatement update = c.prepareStatement(
                "UPDATE darkroom_provider_limits SET in_flight = ?, updated_at = ? WHERE provider = ?")) {
            update.setInt(1, inFlight);
            update.setTimestamp(2, Timestamp.from(Instant.now()));
            update.setString(3, provider);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO darkroom_provider_limits (provider, in_flight, updated_at) VALUES (?, ?, ?)")) {
                    insert.setString(1, provider);
                    insert.setInt(2, inFlight);
                    insert.setTimestamp(3, Timestamp.from(Instant.now()));
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            // a lost limit only means the next start learns it again
            LOG.warn("Learned limit of {} not kept: {}", provider, e.getMessage());
        }
    }

    /** The in-flight limits learned for each provider. */
    public Map<String, Integer> learnedLimits() {
        Map<String, Integer> limits = new TreeMap<>();
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("SELECT provider, in_flight FROM darkroom_provider_limits");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                limits.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
        return limits;
    }

    /** How long recent finished jobs took from submit to completion, by provider model (newest first, at most {@code limit} jobs). */
    public Map<String, List<Long>> recentDurations(int limit) {
        Map<String, List<Long>> durations = new TreeMap<>();
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(
                "SELECT job_json FROM darkroom_jobs WHERE state = 'DELIVERED' AND submitted_at IS NOT NULL ORDER BY updated_at DESC")) {
            p.setMaxRows(limit);
            for (Job job : read(p)) {
                if (job.getPlan() != null && job.getSubmittedAt() != null && job.getCompletedAt() != null && job.getPolls() > 0) {
                    long millis = Instant.parse(job.getCompletedAt()).toEpochMilli() - Instant.parse(job.getSubmittedAt()).toEpochMilli();
                    durations.computeIfAbsent(job.getPlan().getProviderModel(), k -> new ArrayList<>()).add(millis);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger read failed: " + e.getMessage(), e);
        }
        return durations;
    }

    private List<Job> read(PreparedStatement p) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                try {
                    jobs.add(json.readValue(rs.getString(1), Job.class));
                } catch (JsonProcessingException e) {
                    LOG.warn("Ledger row could not be read back: {}", e.getOriginalMessage());
                }
            }
        }
        return jobs;
    }

    @Override
    protected synchronized void doStop() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
