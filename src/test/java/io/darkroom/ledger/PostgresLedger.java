package io.darkroom.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema in the machine's PostgreSQL (database test on 127.0.0.1:5432, or
 * DARKROOM_TEST_POSTGRES_URL) for one test, so runs never see each other's jobs.
 */
final class PostgresLedger {

    static final String SERVER = System.getenv().getOrDefault("DARKROOM_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("DARKROOM_TEST_POSTGRES_USER", "postgres");

    private PostgresLedger() {
    }

    /** Creates the schema and returns a JDBC URL whose tables land in it. */
    static String freshSchemaUrl() throws Exception {
        String schema = "darkroom_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
