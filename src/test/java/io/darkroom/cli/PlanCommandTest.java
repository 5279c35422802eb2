package io.darkroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code darkroom plan}: what a batch will do and cost, before anything is sent. */
class PlanCommandTest {

    @TempDir
    Path home;

    @Test
    void planOfTheSampleInboxMatchesWhatTheRunThenDoes() throws Exception {
        copyTree(Path.of("examples/inbox"), home.resolve("inbox"));
        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_INTAKE_MIN_AGE", "200ms")
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");

        assertEquals(0, darkroom.start("plan").waitFor(90), darkroom.readLog());
        String plan = Files.readString(darkroom.log());
        Map<String, String[]> planned = new HashMap<>();
        double total = 0;
        for (String line : plan.lines().toList()) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 6 && cells[5].startsWith("$")) {
                String ticket = cells[0].substring(cells[0].lastIndexOf('/') + 1);
                planned.put(ticket, cells);
                total += Double.parseDouble(cells[5].substring(1));
            }
        }
        assertEquals(6, planned.size(), plan);
        assertTrue(plan.contains(String.format(java.util.Locale.ROOT, "Total: $%.4f for 6 job(s)", total)), plan);
        assertTrue(plan.contains("Held by budget: 0 job(s)"), plan);
        assertTrue(Files.exists(home.resolve("inbox/mug.txt")), "plan moves nothing");
        assertFalse(Files.exists(home.resolve("outbox")) && filesUnder(home.resolve("outbox")).size() > 0, "plan sends nothing");

        assertEquals(0, darkroom.start("--once").waitFor(120), darkroom.readLog());
        String run = Files.readString(darkroom.log());
        assertTrue(run.contains("progress: 6/6 finished, 0 failed or held, $0.0000 spent"), "plain progress lines off a terminal: " + run);
        List<Path> manifests = filesUnder(home.resolve("outbox")).stream().filter(p -> p.toString().endsWith(".json")).toList();
        assertEquals(6, manifests.size(), manifests.toString());
        ObjectMapper json = new ObjectMapper();
        for (Path manifest : manifests) {
            JsonNode m = json.readTree(manifest.toFile());
            String ticket = m.path("ticketFile").isTextual() ? m.path("ticketFile").asText() : m.path("references").get(0).path("name").asText();
            String[] cells = planned.get(ticket);
            assertTrue(cells != null, ticket + " was in the plan: " + plan);
            assertEquals(m.path("plan").path("useCase").asText(), cells[1], ticket);
            assertEquals(m.path("plan").path("model").asText(), cells[2], ticket);
            assertEquals(m.path("plan").path("provider").asText(), cells[3], ticket);
            assertEquals(m.path("outputs").size(), Integer.parseInt(cells[4]), ticket);
            assertEquals(m.path("cost").path("estimatedUsd").asDouble(), Double.parseDouble(cells[5].substring(1)), 0.00005, ticket);
        }
    }

    @Test
    void planExitsThreeWhenATicketWouldFailAndShowsWhatTheBudgetWouldHold() throws Exception {
        Path drop = home.resolve("batch");
        Files.createDirectories(drop);
        Files.copy(Path.of("src/test/resources/samples/coffee.png"), drop.resolve("mug.png"));
        Files.writeString(drop.resolve("mug.yaml"), "prompt: the mug\nvariants: 4\n");
        Files.copy(Path.of("src/test/resources/samples/truncated.jpg"), drop.resolve("broken.jpg"));
        Files.writeString(drop.resolve("broken.txt"), "this one cannot work");
        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_BUDGET_PER_JOB_USD", "0.05")
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");

        assertEquals(3, darkroom.start("plan", "batch").waitFor(90), darkroom.readLog());
        String plan = darkroom.readLog();
        assertTrue(plan.contains("invalid: IMAGE_CORRUPT"), plan);
        assertTrue(plan.contains("held: The estimated cost"), plan);
        assertTrue(plan.contains("Held by budget: 1 job(s)"), plan);
        assertTrue(plan.contains("Would fail validation: 1 ticket(s)"), plan);
        assertTrue(Files.exists(drop.resolve("broken.txt")) && Files.exists(drop.resolve("mug.yaml")), "nothing moved");
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
