package io.darkroom.ledger;

import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.plan.BudgetGuard;
import io.darkroom.plan.Plan;
import io.darkroom.wiring.LedgerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The ledger's schema under Flyway: the daily budget counts by real timestamps at the edge of a
 * day, on H2 and PostgreSQL, and a ledger file written by the runner before Flyway opens, keeps
 * its jobs and is upgraded in place.
 */
class LedgerSchemaTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-12-03T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void theDailyBudgetCountsAJobJustAfterMidnightOnH2() throws Exception {
        assertDayEdge(LedgerConfiguration.open("", "", "", data));
    }

    @Test
    void theDailyBudgetCountsAJobJustAfterMidnightOnPostgres() throws Exception {
        assertDayEdge(LedgerConfiguration.open(PostgresLedger.freshSchemaUrl(), PostgresLedger.USER, "", data));
    }

    private static void assertDayEdge(JobLedger ledger) throws Exception {
        try (ledger) {
            ledger.start();
            // half a second after midnight: as text, "...T00:00:00.500Z" sorted before the day's "...T00:00:00Z"
            ledger.record(paidJob("just-after", MIDNIGHT.plusMillis(500), 0.05));
            ledger.record(paidJob("at-midnight", MIDNIGHT, 0.07));
            ledger.record(paidJob("the-day-before", MIDNIGHT.minusMillis(1), 1.00));
            BudgetGuard budget = new BudgetGuard(0, 10, ledger, Clock.fixed(MIDNIGHT.plusSeconds(3600), ZoneOffset.UTC));
            assertEquals(0.12, budget.spentToday(), 1e-9, "today's spend: both jobs of today, not the one of the day before");
        }
    }

    private static Job paidJob(String id, Instant received, double estimate) {
        Job job = new Job();
        job.setId(id);
        job.setReceivedAt(received.toString());
        job.setPlan(new Plan("brand", "black-forest-labs/flux-2-pro", "atlas", "black-forest-labs/flux-2-pro", "test", estimate));
        job.setState(JobState.PLANNED);
        return job;
    }

    @Test
    void aLedgerFileOfTheRunnerBeforeFlywayIsUpgradedInPlace() throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        // what the earlier runner left: its history table at version 2, the V1 and V2 scripts applied, one job with text times
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE darkroom_schema (version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMP NOT NULL)");
            for (String script : new String[] {"db/V1__jobs.sql", "db/V2__provider_limits.sql"}) {
                for (String sql : resource(script).split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
            }
            s.execute("INSERT INTO darkroom_schema VALUES (1, CURRENT_TIMESTAMP), (2, CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO darkroom_jobs (id, state, polls, provider, estimated_usd, received_at, submitted_at, updated_at, job_json) "
                    + "VALUES ('old-job', 'DELIVERED', 1, 'atlas', 0.05, '2026-12-03T00:00:00.250Z', '2026-12-03T00:00:01Z', CURRENT_TIMESTAMP, "
                    + "'{\"id\":\"old-job\",\"state\":\"DELIVERED\"}')");
        }

        try (JobLedger ledger = LedgerConfiguration.open("", "", "", data)) {
            ledger.start();
            assertNotNull(ledger.find("old-job"), "the earlier run's job is still there");
            assertEquals(0.05, ledger.spentSince(MIDNIGHT, "preview"), 1e-9, "its text time became a timestamp of that day");
        }
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT received_at FROM darkroom_jobs WHERE id = 'old-job'")) {
            rs.next();
            assertEquals(MIDNIGHT.plusMillis(250), rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
        }
        // opened again: nothing left to migrate, nothing lost
        try (JobLedger ledger = LedgerConfiguration.open("", "", "", data)) {
            ledger.start();
            assertNotNull(ledger.find("old-job"));
        }
    }

    private static String resource(String name) throws Exception {
        try (var in = LedgerSchemaTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
