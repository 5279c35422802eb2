package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each failure Atlas Cloud can produce ends in the right final state with a stable code, and no
 * billable submit is ever sent twice; transient trouble while polling is ridden out.
 */
class AtlasFaultsTest extends DarkroomTestSupport {

    @RegisterExtension
    // an empty prediction history: a submit whose answer is lost and that the history does not show stays SUBMIT_UNKNOWN
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(300).setHistory(false));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.poll.deadline", "4s");
        properties.put("darkroom.poll.max-delay", "400");
        properties.put("camel.component.http.response-timeout", "2000");
        properties.put("camel.component.http.so-timeout", "2000");
    }

    @Test
    void faultsEndInTheirFinalStateWithoutResubmitting() throws Exception {
        Map<String, String> failing = new LinkedHashMap<>();
        failing.put("[sim:moderated] a skyline", "MODERATED");
        failing.put("[sim:failed-500] a skyline", "PROVIDER_FAILED");
        failing.put("[sim:malformed] a skyline", "PROVIDER_PROTOCOL");
        failing.put("[sim:unknown-status] a skyline", "PROVIDER_PROTOCOL");
        failing.put("[sim:slow] a skyline", "DEADLINE");
        failing.put("[sim:output-404] a skyline", "OUTPUT_UNAVAILABLE");
        failing.put("[sim:submit-500] a skyline", "SUBMIT_UNKNOWN");
        failing.put("[sim:submit-hang] a skyline", "SUBMIT_UNKNOWN");
        failing.put("[sim:out-of-credit] a skyline", "OUT_OF_CREDIT");
        String[] recovering = {"[sim:poll-429] a skyline", "[sim:poll-429-retry-after] a skyline", "[sim:poll-503] a skyline",
                "[sim:not-found-first] a skyline"};

        int n = 0;
        Map<String, String> ticketOf = new LinkedHashMap<>();
        for (String prompt : failing.keySet()) {
            String ticket = "fault-" + (++n) + ".txt";
            ticketOf.put(prompt, ticket);
            write(ticket, prompt);
        }
        for (String prompt : recovering) {
            write("recover-" + (++n) + ".txt", prompt);
        }

        awaitFinished(failing.size() + recovering.length, Duration.ofSeconds(40));

        assertEquals(recovering.length, outcomes().delivered(), "transient trouble is ridden out: " + filesUnder(failed));
        for (Map.Entry<String, String> fault : failing.entrySet()) {
            JsonNode error = errorFor(failed, ticketOf.get(fault.getKey()));
            assertEquals(fault.getValue(), error.at("/code").asText(), fault.getKey() + ": " + error);
            assertTrue(error.at("/message").asText().length() > 20, "a message a user can read: " + error);
        }
        for (String prompt : failing.keySet()) {
            assertEquals(1, simulator.get().submitCountForPrompt(prompt), "submitted exactly once: " + prompt);
        }
        for (String prompt : recovering) {
            assertEquals(1, simulator.get().submitCountForPrompt(prompt), "submitted exactly once: " + prompt);
            assertTrue(simulator.get().pollCountForPrompt(prompt) >= 2, "polled again after the transient error: " + prompt);
        }
        assertTrue(errorFor(failed, ticketOf.get("[sim:unknown-status] a skyline")).at("/message").asText().contains("paused-for-review"));
    }
}
