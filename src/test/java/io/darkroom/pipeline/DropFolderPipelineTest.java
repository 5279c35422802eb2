package io.darkroom.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.image.ExifJpeg;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drop-folder pipeline end to end on the preview provider: good tickets of every kind. */
class DropFolderPipelineTest extends DarkroomTestSupport {

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.budget.per-job-usd", "1.00");
    }

    @Test
    void deliversOneOutputSetPerTicketToItsUseCaseFolder() throws Exception {
        sample("coffee.png", "mug.png");
        write("mug.txt", "The same mug on a marble counter, morning light");
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"this cat as a mascot in a library\", \"useCase\": \"character\", \"variants\": 2,"
                + " \"outputFormat\": \"jpeg\", \"metadata\": {\"campaign\": \"spring\"}}");
        sample("rocket.jpg", "rocket.jpg");
        write("rocket.yaml", "prompt: \"A launch poster\"\ntext: \"Lift Off 2027\"\nsize: 1024x1536\n");
        write("skyline.prompt.txt", "A city skyline at dawn");
        write("shots/_defaults.yaml", "prompt: \"Studio product shot\"\nuseCase: variants\nvariants: 3\n");
        write("shots/a.png", sampleBytes("coffee.png"));
        write("shots/b.jpg", sampleBytes("rocket.jpg"));

        awaitFinished(6, Duration.ofSeconds(30));

        assertEquals(6, outcomes().delivered(), "delivered");
        assertEquals(0, outcomes().failed(), "failed: " + filesUnder(failed));

        JsonNode mug = manifestIn("brand");
        assertEquals("black-forest-labs/flux-2-pro", mug.at("/plan/model").asText());
        assertEquals("preview", mug.at("/plan/provider").asText());
        assertEquals(1, mug.at("/outputs").size());

        JsonNode cat = manifestIn("character");
        assertEquals("google/nano-banana-2", cat.at("/plan/model").asText());
        assertEquals(2, cat.at("/outputs").size());
        assertEquals("spring", cat.at("/metadata/campaign").asText());
        assertTrue(cat.at("/outputs/0/file").asText().endsWith(".jpg"), "jpeg asked for");

        JsonNode rocket = manifestIn("text");
        assertEquals("openai/gpt-image-2", rocket.at("/plan/model").asText());

        JsonNode skyline = manifestIn("hero");
        assertEquals("google/imagen-4-ultra", skyline.at("/plan/model").asText());
        assertEquals(0, skyline.at("/references").size());

        try (var jobs = Files.list(outbox.resolve("variants"))) {
            List<Path> folders = jobs.toList();
            assertEquals(2, folders.size(), "one job per bare image of the defaults folder");
            for (Path folder : folders) {
                JsonNode manifest = readJson(folder.resolve(folder.getFileName() + ".json"));
                assertEquals(3, manifest.at("/outputs").size());
                assertEquals("Studio product shot", manifest.at("/ticket/prompt").asText());
            }
        }

        // every output listed in a manifest is there, complete, with the recorded hash
        for (JsonNode manifest : List.of(mug, cat, rocket, skyline)) {
            Path folder = outbox.resolve(manifest.at("/plan/useCase").asText()).resolve(manifest.at("/job").asText());
            for (JsonNode output : manifest.at("/outputs")) {
                byte[] bytes = Files.readAllBytes(folder.resolve(output.at("/file").asText()));
                assertEquals(output.at("/bytes").asLong(), bytes.length);
                assertEquals(output.at("/sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        assertEquals(List.of("shots/_defaults.yaml"), filesUnder(inbox), "only the folder defaults stay in the inbox");
        assertEquals(List.of("cat.json", "cat.png", "mug.png", "mug.txt", "rocket.jpg", "rocket.yaml", "shots/a.png", "shots/b.jpg",
                "skyline.prompt.txt"), filesUnder(done));
        assertFalse(filesUnder(outbox).stream().anyMatch(f -> f.contains(".tmp")), "no temporary file left");
    }

    @Test
    void readsTicketsWrittenInALegacyEncoding() throws Exception {
        sample("coffee.png", "cafe.png");
        write("cafe.txt", "Café crème on a zinc bar, Brüssel style".getBytes(Charset.forName("windows-1252")));
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered());
        assertEquals("Café crème on a zinc bar, Brüssel style", manifestIn("brand").at("/ticket/prompt").asText());
    }

    @Test
    void theManifestGivesAPhotoTakenUprightItsUprightDimensions() throws Exception {
        // a camera stores the sensor's landscape pixels and says "turn a quarter" in Exif (orientation 6)
        write("upright.jpg", ExifJpeg.withOrientation(sampleBytes("rocket.jpg"), 6, ByteOrder.BIG_ENDIAN));
        write("upright.txt", "The same rocket on a launch pad at night");
        awaitFinished(1, Duration.ofSeconds(20));
        assertEquals(1, outcomes().delivered(), outcomes().summary());

        JsonNode reference = manifestIn("brand").at("/references/0");
        assertEquals("upright.jpg", reference.at("/name").asText(), reference.toString());
        // rocket.jpg is stored 640 wide and 427 high
        assertEquals(427, reference.at("/width").asInt(), reference.toString());
        assertEquals(640, reference.at("/height").asInt(), reference.toString());
    }

    private JsonNode manifestIn(String useCase) throws Exception {
        Path folder = jobFolder(useCase);
        return readJson(folder.resolve(folder.getFileName() + ".json"));
    }
}
