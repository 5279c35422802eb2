package io.darkroom;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.darkroom.deliver.WebhookReceiver;
import io.darkroom.intake.MailIntakeTest;
import io.darkroom.s3.S3TestServer;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Darkroom reaches nothing but the loopback: each run here is a Darkroom JVM under a watch
 * ({@link LoopbackOnlyWatch}) that records and refuses every connection to, and every name lookup
 * of, anything else. Once with the default configuration (the README's first command), once with
 * every transport configured: S3 intake and delivery, a mailbox and its answers, a webhook and the
 * Atlas protocol, each against its loopback peer.
 */
class NetworkStaysOnLoopbackTest {

    private static final byte[] WEBHOOK_KEY = "a 24-byte signing key!!!".getBytes(StandardCharsets.UTF_8);
    private static final int SMTP = AvailablePortFinder.getNextAvailable();
    private static final int IMAP = AvailablePortFinder.getNextAvailable();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MailIntakeTest.MAILBOX, "darkroom", MailIntakeTest.PASSWORD));

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(200));

    private static S3TestServer s3;

    @TempDir
    Path home;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void theWatchRecordsAndRefusesAnAddressBeyondTheLoopback() throws Exception {
        Path log = home.resolve("attempts.log");
        LoopbackOnlyWatch watch = new LoopbackOnlyWatch(log);
        watch.checkConnect("127.0.0.1", 443);
        watch.checkConnect("localhost", -1);
        watch.checkConnect("[::1]", 80);
        assertFalse(Files.exists(log), "loopback is fine");

        assertThrows(SecurityException.class, () -> watch.checkConnect("169.254.169.254", 80));
        assertThrows(SecurityException.class, () -> watch.checkConnect("api.atlascloud.ai", -1));
        String recorded = Files.readString(log);
        assertTrue(recorded.contains("169.254.169.254 port 80") && recorded.contains("api.atlascloud.ai port -1"), recorded);
    }

    @Test
    void theDefaultConfigurationReachesNothingBeyondTheLoopback() throws Exception {
        copyExamples(home.resolve("inbox"));
        Path log = home.resolve("attempts.log");
        DarkroomProcess darkroom = watched(new DarkroomProcess(home), log).env("DARKROOM_INTAKE_MIN_AGE", "200ms");

        int exit = darkroom.start("--once").waitFor(120);

        String output = darkroom.readLog();
        assertEquals(0, exit, output);
        assertTrue(output.contains(" delivered, 0 failed"), output);
        assertFalse(Files.exists(log), () -> "attempts beyond the loopback:\n" + read(log));
    }

    @Test
    void everyTransportStaysOnTheLoopback() throws Exception {
        String bucket = s3.newBucket();
        Properties settings = new Properties();
        s3.configure(settings, bucket);
        MailIntakeTest.mailProperties(settings, IMAP, SMTP);
        simulator.configure(settings);
        settings.put("darkroom.webhook.secret", "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY));
        settings.put("darkroom.webhook.allowed-http-hosts", "127.0.0.1");
        settings.put("darkroom.intake.min-age", "200ms");
        settings.put("darkroom.intake.poll-interval", "200");

        try (WebhookReceiver webhook = new WebhookReceiver(WEBHOOK_KEY)) {
            Path inbox = Files.createDirectories(home.resolve("inbox"));
            Files.copy(Path.of("src/test/resources/samples/chelsea.png"), inbox.resolve("cat.png"));
            Files.writeString(inbox.resolve("cat.json"), "{\"prompt\": \"the cat as a mascot\", \"destinations\": [\"s3://" + bucket
                    + "/results/\", \"" + webhook.url() + "\"]}");
            s3.put(bucket, "inbox/mug.png", Files.readAllBytes(Path.of("src/test/resources/samples/coffee.png")));
            s3.put(bucket, "inbox/mug.txt", "the same mug on a marble counter".getBytes(StandardCharsets.UTF_8));
            MailIntakeTest.deliver(MAIL, MailIntakeTest.mail("alice@example.com", "[brand] a rocket at dawn", "",
                    MailIntakeTest.attachment("rocket.jpg", "image/jpeg")));

            Path log = home.resolve("attempts.log");
            DarkroomProcess darkroom = watched(new DarkroomProcess(home), log);
            settings.forEach((key, value) -> darkroom.env(key.toString().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'),
                    value.toString()));
            darkroom.start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                        !webhook.accepted().isEmpty()
                                && s3.keys(bucket).stream().anyMatch(key -> key.startsWith("results/") && key.endsWith(".json"))
                                && s3.keys(bucket).stream().anyMatch(key -> key.startsWith("outbox/") && key.endsWith(".json"))
                                && !MailIntakeTest.replies(MAIL, "alice@example.com").isEmpty());
                assertEquals(3, simulator.get().submitCount(), "the three jobs went to the Atlas simulator");
            } finally {
                darkroom.terminate();
                darkroom.waitFor(60);
            }
            assertFalse(Files.exists(log), () -> "attempts beyond the loopback:\n" + read(log) + "\n" + darkroom.readLog());
        }
    }

    private static DarkroomProcess watched(DarkroomProcess darkroom, Path log) {
        return darkroom.jvmOption("-Djava.security.manager=" + LoopbackOnlyWatch.class.getName())
                .jvmOption("-D" + LoopbackOnlyWatch.LOG_PROPERTY + "=" + log)
                .env("ATLAS_API_KEY", "").env("OPENAI_API_KEY", "");
    }

    private static void copyExamples(Path inbox) throws Exception {
        try (var files = Files.walk(Path.of("examples/inbox"))) {
            for (Path file : files.toList()) {
                Path target = inbox.resolve(Path.of("examples/inbox").relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
