package io.darkroom.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness follows the ledger: down while it refuses writes, up again once it takes them. */
class HealthTest extends DarkroomTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessGoesDownWhileTheLedgerIsUnwritableAndComesBack() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/observe/health/ready").statusCode() == 200);
        JsonNode ready = JSON.readTree(get("/observe/health/ready").body());
        assertEquals("UP", ready.path("status").asText(), ready.toString());
        assertTrue(ready.toString().contains("ledger"), "the ledger check is listed: " + ready);

        // the ledger's database starts refusing every new row (as a full disk or a read-only volume would)
        try (Connection other = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("ledger")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", ""); Statement s = other.createStatement()) {
            s.execute("CREATE TRIGGER refuse_writes BEFORE INSERT, UPDATE ON darkroom_jobs FOR EACH ROW CALL \""
                    + RefuseWrites.class.getName() + "\"");
            HttpResponse<String> down = get("/observe/health/ready");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("ledger not writable"), down.body());
            assertEquals(200, get("/observe/health/live").statusCode(), "alive all the same: a restart would not help");
            s.execute("DROP TRIGGER refuse_writes");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/observe/health/ready").statusCode() == 200);
    }

    /** An H2 trigger that fails every write, as a database out of space would. */
    public static class RefuseWrites implements org.h2.api.Trigger {
        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            throw new java.sql.SQLException("No space left on device");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
