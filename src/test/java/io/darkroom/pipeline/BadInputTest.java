package io.darkroom.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.DarkroomTestSupport;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input ends in failed/ (held/ for budget) with the right stable code and a
 * message naming the problem, while the good jobs dropped with them are delivered.
 */
class BadInputTest extends DarkroomTestSupport {

    @Override
    protected void testProperties(Properties properties) {
        properties.put("darkroom.limits.max-image-bytes", "400000");
        properties.put("darkroom.intake.missing-reference-grace", "1s");
    }

    @Test
    void eachBadInputFailsWithItsCodeAndGoodJobsStillGoThrough() throws Exception {
        // good jobs, mixed in
        sample("rocket.jpg", "good-one.jpg");
        write("good-one.txt", "The rocket at dawn");
        sample("chelsea.png", "good-two.png");
        write("good-two.yaml", "prompt: the cat in a garden\nuseCase: brand\n");

        sample("truncated.jpg", "truncated.jpg");
        write("truncated.txt", "fix this");
        write("empty.png", new byte[0]);
        write("empty.txt", "an empty image");
        write("fake.jpg", "this is not an image at all, just text".getBytes());
        write("fake.txt", "a text file named like a JPEG");
        sample("chelsea.png", "escape.png");
        write("escape.json", "{\"prompt\": \"x\", \"references\": [\"../outside.png\"]}");
        sample("chelsea.png", "syntax.png");
        write("syntax.json", "{\"prompt\": \"missing brace\"");
        write("waiting.json", "{\"prompt\": \"where is my image\", \"references\": [\"never-arrives.png\"]}");
        for (int i = 1; i <= 9; i++) {
            write("many-" + i + ".png", tinyPng(i));
        }
        write("many.yaml", "prompt: nine references\nmodel: black-forest-labs/flux-2-pro\nreferences: [many-1.png, many-2.png, many-3.png,"
                + " many-4.png, many-5.png, many-6.png, many-7.png, many-8.png, many-9.png]\n");
        sample("chelsea.png", "noprompt.png");
        write("noprompt.txt", "   \n");
        sample("chelsea.png", "unknownfield.png");
        write("unknownfield.yaml", "prompt: hello\ncolour: red\n");
        sample("chelsea.png", "badtype.png");
        write("badtype.json", "{\"prompt\": \"hello\", \"variants\": \"many\"}");
        sample("chelsea.png", "nomodel.png");
        write("nomodel.json", "{\"prompt\": \"hello\", \"model\": \"acme/imaginary-1\"}");
        sample("chelsea.png", "textonly.png");
        write("textonly.json", "{\"prompt\": \"hello\", \"useCase\": \"fast\"}");
        sample("coffee.png", "huge.png");
        write("huge.txt", "too many bytes for the configured limit");
        sample("chelsea.png", "usecase.png");
        write("usecase.json", "{\"prompt\": \"hello\", \"useCase\": \"poster\"}");
        sample("chelsea.png", "budget.png");
        write("budget.json", "{\"prompt\": \"hello\", \"useCase\": \"character\", \"variants\": 4, \"budgetUsd\": 0.10}");

        awaitFinished(17, Duration.ofSeconds(40));

        assertEquals(2, outcomes().delivered(), "good jobs delivered; failed: " + filesUnder(failed));
        expectFailure("truncated.txt", "IMAGE_CORRUPT", "truncated.jpg");
        expectFailure("empty.txt", "IMAGE_CORRUPT", "empty.png");
        expectFailure("fake.txt", "IMAGE_UNSUPPORTED", "fake.jpg");
        expectFailure("escape.json", "REFERENCE_OUTSIDE_FOLDER", "../outside.png");
        expectFailure("syntax.json", "TICKET_INVALID", "not valid JSON");
        expectFailure("waiting.json", "REFERENCE_MISSING", "never-arrives.png");
        expectFailure("many.yaml", "MODEL_LIMIT", "at most 8");
        expectFailure("noprompt.txt", "PROMPT_MISSING", "no prompt");
        expectFailure("unknownfield.yaml", "TICKET_INVALID", "'colour'");
        expectFailure("badtype.json", "TICKET_INVALID", "'variants'");
        expectFailure("nomodel.json", "MODEL_UNKNOWN", "acme/imaginary-1");
        expectFailure("textonly.json", "MODEL_LIMIT", "text only");
        expectFailure("huge.txt", "IMAGE_TOO_LARGE", "huge.png");
        expectFailure("usecase.json", "USE_CASE_UNKNOWN", "poster");

        JsonNode budget = errorFor(held, "budget.json");
        assertEquals("BUDGET_EXCEEDED", budget.at("/code").asText());
        assertTrue(held.resolve("budget.png").toFile().isFile(), "held job keeps its image beside the error");

        // inputs travel with their error file, and nothing is left behind in the inbox
        assertTrue(filesUnder(failed).containsAll(List.of("truncated.jpg", "empty.png", "fake.jpg", "syntax.png", "huge.png")));
        assertEquals(List.of(), filesUnder(inbox));
        assertFalse(filesUnder(outbox).isEmpty());
    }

    private void expectFailure(String ticket, String code, String mentioned) throws Exception {
        JsonNode error = errorFor(failed, ticket);
        assertEquals(code, error.at("/code").asText(), ticket + ": " + error);
        assertTrue(error.at("/message").asText().contains(mentioned), ticket + " message should mention " + mentioned + ": " + error);
        assertFalse(error.at("/hint").asText().isEmpty(), "a hint the user can act on");
        assertFalse(error.at("/job").asText().isEmpty());
        assertFalse(error.at("/stage").asText().isEmpty());
        assertTrue(failed.resolve(ticket).toFile().isFile(), ticket + " itself moved to failed/");
    }

    private static byte[] tinyPng(int shade) throws Exception {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, shade * 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
