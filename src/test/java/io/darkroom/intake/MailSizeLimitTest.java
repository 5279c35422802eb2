package io.darkroom.intake;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.darkroom.DarkroomTestSupport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static io.darkroom.intake.MailIntakeTest.attachment;
import static io.darkroom.intake.MailIntakeTest.attachments;
import static io.darkroom.intake.MailIntakeTest.awaitReplies;
import static io.darkroom.intake.MailIntakeTest.deliver;
import static io.darkroom.intake.MailIntakeTest.mail;
import static io.darkroom.intake.MailIntakeTest.textOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results above darkroom.mail.max-attachment-bytes: the mail says where they are instead of carrying them. */
class MailSizeLimitTest extends DarkroomTestSupport {

    private static final int SMTP = AvailablePortFinder.getNextAvailable();
    private static final int IMAP = AvailablePortFinder.getNextAvailable();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MailIntakeTest.MAILBOX, "darkroom", MailIntakeTest.PASSWORD));

    @Override
    protected void testProperties(Properties properties) {
        MailIntakeTest.mailProperties(properties, IMAP, SMTP);
        properties.put("darkroom.mail.max-attachment-bytes", "1000");
        properties.put("darkroom.destinations.file-roots", work.toString());
    }

    @Test
    void largeResultsAreStoredAndTheMailSaysWhere() throws Exception {
        // a mail request has no other destination: its results are kept in the use case's outbox folder
        deliver(MAIL, mail("alice@example.com", "[brand] a mug on marble", "", attachment("coffee.png", "image/png")));
        // a folder ticket that mails someone else: a new mail, pointing at the ticket's folder destination
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"the cat as a sticker\", \"destinations\": [\"file:" + work.resolve("shared")
                + "\", \"mailto:carol@example.com\"]}");

        MimeMessage reply = awaitReplies(MAIL, "alice@example.com", 1).get(0);
        assertEquals(0, attachments(reply).size());
        String text = textOf(reply);
        Path jobFolder = jobFolder("brand");
        assertTrue(text.contains(jobFolder.toString()), text);
        try (var files = Files.list(jobFolder)) {
            assertEquals(2, files.count(), "the output and its manifest are kept in the outbox");
        }

        MimeMessage toCarol = awaitReplies(MAIL, "carol@example.com", 1).get(0);
        assertTrue(toCarol.getSubject().startsWith("Darkroom: job cat-"), toCarol.getSubject());
        assertEquals(null, toCarol.getHeader("In-Reply-To", null));
        assertEquals(0, attachments(toCarol).size());
        assertTrue(textOf(toCarol).contains(work.resolve("shared").toString()), textOf(toCarol));
        awaitFinished(2, Duration.ofSeconds(10));
        assertEquals(2, outcomes().delivered(), outcomes().summary());
    }
}
