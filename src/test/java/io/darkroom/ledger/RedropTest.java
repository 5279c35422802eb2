package io.darkroom.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.sim.AtlasSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same input dropped again is recognised from the ledger and not paid for; rerun: true asks anyway. */
class RedropTest extends DarkroomTestSupport {

    private static AtlasSimulator atlas;

    @BeforeAll
    static void startSimulator() throws Exception {
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(200)).start();
    }

    @AfterAll
    static void stopSimulator() {
        atlas.stop();
    }

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.providers.atlas.base-url", atlas.baseUrl());
        properties.put("darkroom.providers.atlas.api-key", "test-atlas-key");
    }

    @Test
    void anIdenticalInputIsNotSentAgainUnlessRerunIsAsked() throws Exception {
        String ticket = "{\"prompt\": \"the cat on a windowsill\", \"variants\": 1}";
        sample("chelsea.png", "cat.png");
        write("cat.json", ticket);
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, atlas.submitCount());

        // the same bytes under other names
        sample("chelsea.png", "again/kitty.png");
        write("again/kitty.json", ticket);
        awaitFinished(2, Duration.ofSeconds(20));
        assertEquals(1, atlas.submitCount(), "an identical input does not reach the provider");
        assertEquals(1, outcomes().duplicates());
        JsonNode note = readJson(done.resolve("again/kitty.json.note.json"));
        assertTrue(note.at("/message").asText().contains("rerun: true"), note.toString());
        assertEquals("DELIVERED", note.at("/earlierState").asText());
        assertEquals(1, note.at("/earlierOutputs").size());

        sample("chelsea.png", "third/cat.png");
        write("third/cat.json", "{\"prompt\": \"the cat on a windowsill\", \"variants\": 1, \"rerun\": true}");
        awaitFinished(3, Duration.ofSeconds(20));
        assertEquals(2, atlas.submitCount(), "rerun: true sends it again");
        assertEquals(2, outcomes().delivered());
    }
}
