package io.darkroom.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.DarkroomProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --once} over an inbox with names that are not UTF-8 and tickets whose same-stem "image" is
 * unusable (an SVG, a PDF, a link, a dangling link, a pipe, a folder, still being copied) or that
 * share a stem: it ends, every odd input is a visible error in failed/, none runs as a text-only job.
 */
class OddFilesOnceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void oddNamesAndSameStemFilesAreErrorsAndTheRunEnds() throws Exception {
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        Path sample = Path.of("src/test/resources/samples/coffee.png").toAbsolutePath();
        Files.copy(sample, inbox.resolve("mug.png"));
        Files.writeString(inbox.resolve("mug.txt"), "the mug on marble");
        // names with a byte that is not UTF-8 (0xFF), made by the shell since Java cannot spell them
        shell(inbox, "printf 'a prompt' > \"$(printf 'bad\\377name.txt')\"; cp " + sample + " \"$(printf 'bad\\377name.png')\"");
        Files.writeString(inbox.resolve("shoe.txt"), "the shoe");
        Files.writeString(inbox.resolve("shoe.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
        Files.writeString(inbox.resolve("doc.txt"), "the document");
        Files.writeString(inbox.resolve("doc.pdf"), "%PDF-1.4");
        Files.writeString(inbox.resolve("link.txt"), "the linked image");
        Files.createSymbolicLink(inbox.resolve("link.png"), sample);
        Files.writeString(inbox.resolve("dangling.txt"), "the missing image");
        Files.createSymbolicLink(inbox.resolve("dangling.png"), home.resolve("nowhere.png"));
        Files.writeString(inbox.resolve("pipe.txt"), "the pipe");
        shell(inbox, "mkfifo pipe.png");
        Files.writeString(inbox.resolve("folder.txt"), "the folder");
        Files.createDirectories(inbox.resolve("folder.png"));
        Files.writeString(inbox.resolve("twice.txt"), "one ticket");
        Files.writeString(inbox.resolve("twice.json"), "{\"prompt\": \"another ticket\"}");
        Files.copy(sample, inbox.resolve("twice.png"));
        Files.writeString(inbox.resolve("late.txt"), "the image is still copying");
        Files.copy(sample, inbox.resolve("late.png.part"));

        DarkroomProcess darkroom = new DarkroomProcess(home).env("DARKROOM_INTAKE_MIN_AGE", "200ms")
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
        int exit = darkroom.start("--once").waitFor(90);
        String log = darkroom.readLog();
        assertEquals(3, exit, "--once ends, with failures: " + log);
        assertTrue(log.contains("darkroom: 1 delivered, 10 failed, 0 held"), log);

        Path failed = home.resolve("failed");
        assertEquals("FILE_NAME_INVALID", code(failed.resolve("bad_name.txt.error.json")));
        assertTrue(message(failed.resolve("bad_name.txt.error.json")).contains("bad_name.txt"));
        assertEquals("FILE_NAME_INVALID", code(failed.resolve("bad_name.png.error.json")));
        for (String[] odd : List.of(new String[] {"shoe", "shoe.svg"}, new String[] {"doc", "doc.pdf"}, new String[] {"link", "link.png"},
                new String[] {"dangling", "dangling.png"}, new String[] {"pipe", "pipe.png"}, new String[] {"folder", "folder.png"})) {
            Path error = failed.resolve(odd[0] + ".txt.error.json");
            assertEquals("IMAGE_UNSUPPORTED", code(error), odd[0]);
            assertTrue(message(error).contains(odd[1]), message(error));
            assertTrue(Files.exists(failed.resolve(odd[1]), java.nio.file.LinkOption.NOFOLLOW_LINKS), odd[1] + " moved beside its error");
        }
        assertEquals("TICKET_INVALID", code(failed.resolve("twice.json.error.json")));
        assertTrue(message(failed.resolve("twice.json.error.json")).contains("share the stem 'twice'"));
        assertTrue(Files.isRegularFile(failed.resolve("twice.txt")), "both tickets of the stem are set aside together");
        assertEquals("REFERENCE_MISSING", code(failed.resolve("late.txt.error.json")));
        try (Stream<Path> left = Files.list(inbox)) {
            assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().equals(".darkroom.lock")).toList(),
                    "nothing left silently in the inbox");
        }
        try (Stream<Path> useCases = Files.list(home.resolve("outbox"))) {
            assertEquals(List.of("brand"), useCases.map(p -> p.getFileName().toString()).toList(), "no text-only job ran");
        }
    }

    private static void shell(Path dir, String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).inheritIO().start();
        assertEquals(0, process.waitFor());
    }

    private static String code(Path errorFile) throws Exception {
        JsonNode error = JSON.readTree(errorFile.toFile());
        return error.at("/code").asText();
    }

    private static String message(Path errorFile) throws Exception {
        return JSON.readTree(errorFile.toFile()).at("/message").asText();
    }
}
