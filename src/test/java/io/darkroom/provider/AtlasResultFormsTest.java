package io.darkroom.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import io.darkroom.sim.AtlasSimulator;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results in the forms Atlas' own clients accept, through the whole pipeline: status "success",
 * outputs as objects, the reported price, images withheld by the safety filter, an error object,
 * and fewer outputs than asked.
 */
class AtlasResultFormsTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(200)
            .setSuccessStatus("success").setOutputForm(AtlasSimulator.OutputForm.OBJECTS).setPrice(0.04));

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
    }

    @Test
    void resultsReadAsAtlasClientsReadThem() throws Exception {
        write("plain.yaml", "prompt: a skyline at dusk\nuseCase: fast\n");
        write("nsfw.txt", "[sim:nsfw-empty] a skyline");
        write("broken.txt", "[sim:error-object] a skyline");
        write("short.yaml", "prompt: \"[sim:fewer-outputs] three lighthouses\"\nvariants: 3\n");

        awaitFinished(4, Duration.ofSeconds(30));
        assertEquals(1, outcomes().delivered(), "failed: " + filesUnder(failed));

        Path plain = jobFolder("fast");
        JsonNode manifest = readJson(plain.resolve(plain.getFileName() + ".json"));
        assertEquals(1, manifest.at("/outputs").size(), "object output {url} downloaded");
        assertEquals(0.04, manifest.at("/cost/actualUsd").asDouble(), 1e-9, "data.price is the actual cost");
        JobLedger ledger = context.getRegistry().lookupByNameAndType("jobLedger", JobLedger.class);
        Job delivered = ledger.all(10).stream().filter(j -> j.getState() == JobState.DELIVERED).findFirst().orElseThrow();
        assertEquals(0.04, delivered.getActualCostUsd(), 1e-9, "and the ledger's");

        assertEquals("MODERATED", errorFor(failed, "nsfw.txt").at("/code").asText());
        JsonNode broken = errorFor(failed, "broken.txt");
        assertEquals("PROVIDER_FAILED", broken.at("/code").asText());
        assertTrue(broken.at("/message").asText().contains("ran out of memory"), broken.toString());

        // fewer outputs than asked: delivered, yet visibly partial in the ledger, the manifest and an error file
        JsonNode shortError = errorFor(failed, "short.yaml");
        assertEquals("PARTIAL_RESULT", shortError.at("/code").asText());
        Job partial = ledger.all(10).stream().filter(j -> j.getState() == JobState.PARTIAL).findFirst().orElseThrow();
        Path folder = jobFolder("hero");
        JsonNode partialManifest = readJson(folder.resolve(partial.getId() + ".json"));
        assertEquals("PARTIAL", partialManifest.at("/state").asText());
        assertEquals(3, partialManifest.at("/partial/outputsAsked").asInt());
        assertEquals(2, partialManifest.at("/partial/outputsReceived").asInt());
        assertEquals(2, partialManifest.at("/outputs").size());
        assertEquals(4, simulator.get().submitCount(), "each job submitted once");
    }
}
