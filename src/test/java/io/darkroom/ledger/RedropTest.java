package io.darkroom.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same input dropped again is recognised from the ledger and not paid for; rerun: true asks anyway. */
class RedropTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(200));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
    }

    @Test
    void anIdenticalInputIsNotSentAgainUnlessRerunIsAsked() throws Exception {
        String ticket = "{\"prompt\": \"the cat on a windowsill\", \"variants\": 1}";
        sample("chelsea.png", "cat.png");
        write("cat.json", ticket);
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, simulator.get().submitCount());

        // the same bytes under other names
        sample("chelsea.png", "again/kitty.png");
        write("again/kitty.json", ticket);
        awaitFinished(2, Duration.ofSeconds(20));
        assertEquals(1, simulator.get().submitCount(), "an identical input does not reach the provider");
        assertEquals(1, outcomes().duplicates());
        JsonNode note = readJson(done.resolve("again/kitty.json.note.json"));
        assertTrue(note.at("/message").asText().contains("rerun: true"), note.toString());
        assertEquals("DELIVERED", note.at("/earlierState").asText());
        assertEquals(1, note.at("/earlierOutputs").size());

        sample("chelsea.png", "third/cat.png");
        write("third/cat.json", "{\"prompt\": \"the cat on a windowsill\", \"variants\": 1, \"rerun\": true}");
        awaitFinished(3, Duration.ofSeconds(20));
        assertEquals(2, simulator.get().submitCount(), "rerun: true sends it again");
        assertEquals(2, outcomes().delivered());
    }
}
