package io.darkroom.ledger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.darkroom.DarkroomProcess;
import io.darkroom.s3.S3TestServer;
import io.darkroom.sim.AtlasSimulator;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes in cluster mode reading one bucket (s3proxy) and one mailbox (GreenMail): every
 * ticket object and every mail becomes exactly one job, whichever node's claim in the ledger wins.
 */
class ClusterIntakeTest {

    private static final String MAILBOX = "darkroom@localhost";
    private static final String PASSWORD = "mailbox-secret";
    private static final int SMTP = AvailablePortFinder.getNextAvailable();
    private static final int IMAP = AvailablePortFinder.getNextAvailable();
    private static final int TICKETS = 8;
    private static final int MAILS = 4;

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, "darkroom", PASSWORD));

    @TempDir
    Path home;
    private AtlasSimulator atlas;
    private S3TestServer s3;
    private String bucket;
    private DarkroomProcess nodeA;
    private DarkroomProcess nodeB;

    @BeforeEach
    void start() throws Exception {
        atlas = new AtlasSimulator(new AtlasSimulator.Settings().setJobMillis(300)).start();
        s3 = S3TestServer.inMemory();
        bucket = s3.newBucket();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (DarkroomProcess node : new DarkroomProcess[] {nodeA, nodeB}) {
            if (node != null && node.isAlive()) {
                node.kill();
            }
        }
        atlas.stop();
        s3.close();
    }

    @Test
    void oneBucketAndOneMailboxReadByTwoNodesMakeOneJobPerInput() throws Exception {
        String ledgerUrl = PostgresLedger.freshSchemaUrl();
        nodeA = node("node-a", ledgerUrl).start();
        nodeB = node("node-b", ledgerUrl).start();
        // both nodes read the bucket and the mailbox before the first input arrives
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(nodeA.log()).contains("Console, /observe")
                && Files.readString(nodeB.log()).contains("Console, /observe"));
        byte[] image = Files.readAllBytes(Path.of("src/test/resources/samples/chelsea.png"));
        for (int i = 1; i <= TICKETS; i++) {
            s3.put(bucket, "inbox/shot" + i + ".png", image);
            s3.put(bucket, "inbox/shot" + i + ".txt", "the cat from the bucket, take " + i);
        }
        for (int i = 1; i <= MAILS; i++) {
            MAIL.getUserManager().getUserByEmail(MAILBOX).deliver(mail("[brand] the cat by mail, take " + i, image));
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> manifestKeys().size() == TICKETS && replies() == MAILS
                        && s3.keys(bucket).stream().noneMatch(k -> k.startsWith("inbox/")));

        String logs = nodeA.readLog() + nodeB.readLog();
        for (int i = 1; i <= TICKETS; i++) {
            assertEquals(1, atlas.submitCountForPrompt("the cat from the bucket, take " + i), "bucket ticket " + i + " is one job\n" + logs);
        }
        assertEquals(TICKETS + MAILS, atlas.jobsCreatedCount(), "one job per input\n" + logs);
        assertEquals(TICKETS, manifestKeys().size());
        assertEquals(MAILS, replies(), "each mail answered once");
    }

    private List<String> manifestKeys() {
        return s3.keys(bucket).stream().filter(k -> k.startsWith("outbox/") && k.endsWith(".json")).toList();
    }

    private long replies() throws Exception {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO) != null && Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase("alice@example.com"));
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    private static MimeMessage mail(String subject, byte[] image) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("alice@example.com"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        message.setSubject(subject, "UTF-8");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("", "UTF-8");
        multipart.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(image, "image/png")));
        attachment.setFileName("cat.png");
        attachment.setDisposition(Part.ATTACHMENT);
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    private DarkroomProcess node(String name, String ledgerUrl) throws Exception {
        return new DarkroomProcess(Files.createDirectories(home.resolve(name)))
                .env("ATLAS_API_KEY", "test-atlas-key").env("OPENAI_API_KEY", "")
                .env("DARKROOM_PROVIDERS_ATLAS_BASE_URL", atlas.baseUrl())
                .env("DARKROOM_PROVIDERS_ATLAS_INITIAL_IN_FLIGHT", "10")
                .env("DARKROOM_INBOX", home.resolve("shared/inbox").toString())
                .env("DARKROOM_OUTBOX", home.resolve("shared/outbox").toString())
                .env("DARKROOM_DONE", home.resolve("shared/done").toString())
                .env("DARKROOM_FAILED", home.resolve("shared/failed").toString())
                .env("DARKROOM_HELD", home.resolve("shared/held").toString())
                .env("DARKROOM_LEDGER_URL", ledgerUrl).env("DARKROOM_LEDGER_USER", PostgresLedger.USER)
                .env("DARKROOM_CLUSTER_ENABLED", "true").env("DARKROOM_CLUSTER_NODE_ID", name)
                .env("DARKROOM_S3_ENABLED", "true").env("DARKROOM_S3_ENDPOINT", s3.endpoint()).env("DARKROOM_S3_PATH_STYLE", "true")
                .env("DARKROOM_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY).env("DARKROOM_S3_SECRET_KEY", S3TestServer.SECRET_KEY)
                .env("DARKROOM_S3_BUCKET", bucket).env("DARKROOM_S3_POLL_INTERVAL", "200ms")
                .env("DARKROOM_MAIL_ENABLED", "true").env("DARKROOM_MAIL_PROTOCOL", "imap").env("DARKROOM_MAIL_HOST", "127.0.0.1")
                .env("DARKROOM_MAIL_IMAP_PORT", String.valueOf(IMAP)).env("DARKROOM_MAIL_SMTP_PROTOCOL", "smtp")
                .env("DARKROOM_MAIL_SMTP_PORT", String.valueOf(SMTP)).env("DARKROOM_MAIL_USERNAME", "darkroom")
                .env("DARKROOM_MAIL_PASSWORD", PASSWORD).env("DARKROOM_MAIL_FROM", "Darkroom <" + MAILBOX + ">")
                .env("DARKROOM_MAIL_ALLOWED_SENDERS", "alice@example.com").env("DARKROOM_MAIL_POLL_INTERVAL", "200")
                .env("DARKROOM_INTAKE_MIN_AGE", "200ms").env("DARKROOM_INTAKE_POLL_INTERVAL", "300ms")
                .env("DARKROOM_POLL_INITIAL_DELAY", "300ms").env("DARKROOM_POLL_MAX_DELAY", "1s");
    }
}
