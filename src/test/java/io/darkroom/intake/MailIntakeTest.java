package io.darkroom.intake;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.job.JobOutcomes;
import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mailbox intake and the mail answers against GreenMail (IMAP and SMTP in the test's JVM). */
public class MailIntakeTest extends DarkroomTestSupport {

    public static final String MAILBOX = "darkroom@localhost";
    // characters that must survive the endpoint URI
    public static final String PASSWORD = "s3cret+p@ss%&(x)";
    private static final int SMTP = AvailablePortFinder.getNextAvailable();
    private static final int IMAP = AvailablePortFinder.getNextAvailable();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, "darkroom", PASSWORD));

    @Override
    protected void testProperties(Properties properties) {
        mailProperties(properties, IMAP, SMTP);
    }

    public static void mailProperties(Properties properties, int imap, int smtp) {
        properties.put("darkroom.mail.enabled", "true");
        properties.put("darkroom.mail.protocol", "imap");
        properties.put("darkroom.mail.host", "127.0.0.1");
        properties.put("darkroom.mail.imap-port", String.valueOf(imap));
        properties.put("darkroom.mail.smtp-protocol", "smtp");
        properties.put("darkroom.mail.smtp-port", String.valueOf(smtp));
        properties.put("darkroom.mail.username", "darkroom");
        properties.put("darkroom.mail.password", PASSWORD);
        properties.put("darkroom.mail.from", "Darkroom <" + MAILBOX + ">");
        properties.put("darkroom.mail.allowed-senders", "alice@example.com, *@studio.test");
        properties.put("darkroom.mail.rejected-folder", "Rejected");
        properties.put("darkroom.mail.poll-interval", "100");
    }

    @Test
    void anAllowedSenderIsAnsweredOnceInTheSameThreadWithTheResultImages() throws Exception {
        MimeMessage request = mail("alice@example.com", "[character] The same cat as an astronaut",
                "Keep the stripes and the green eyes.\n\n-- \nAlice, art desk",
                attachment("chelsea.png", "image/png"), attachment("coffee.png", "image/png"));
        deliver(request);

        List<MimeMessage> replies = awaitReplies("alice@example.com", 1);
        MimeMessage reply = replies.get(0);
        assertEquals("Re: [character] The same cat as an astronaut", reply.getSubject());
        assertEquals(request.getMessageID(), reply.getHeader("In-Reply-To", null));
        assertTrue(reply.getHeader("References", " ").contains(request.getMessageID()));
        assertEquals("auto-replied", reply.getHeader("Auto-Submitted", null));
        String text = textOf(reply);
        assertTrue(text.contains("Use case: character"), text);
        assertTrue(text.contains("The same cat as an astronaut Keep the stripes and the green eyes."), text);
        assertTrue(!text.contains("art desk"), "the signature is not part of the prompt: " + text);
        List<BodyPart> images = attachments(reply);
        assertEquals(1, images.size(), "one variant asked, one image attached");
        assertTrue(images.get(0).getFileName().endsWith("-1.png"), images.get(0).getFileName());
        assertTrue(images.get(0).isMimeType("image/png"));

        // the answer goes out before the job is archived and counted
        awaitFinished(1, Duration.ofSeconds(10));
        assertEquals(1, outcomes().delivered(), outcomes().summary());
        MailFolder inbox = folder("INBOX");
        assertEquals(1, inbox.getMessageCount());
        assertTrue(inbox.getMessages().get(0).isSet(Flags.Flag.SEEN), "a processed mail is marked seen");
        assertEquals(List.of(), filesUnder(data.resolve("staging")), "the mail's spool folder is removed once answered");
    }

    @Test
    void anUnlistedSenderGetsNoAnswerAndCostsNothing() throws Exception {
        deliver(MAIL, mail("mallory@evil.test", "[brand] a mug", "please", attachment("coffee.png", "image/png")));
        deliver(MAIL, mail("bob@studio.test", "[brand] a mug on a desk", "", attachment("coffee.png", "image/png")));

        awaitReplies(MAIL, "bob@studio.test", 1);
        awaitFinished(1, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> folder("Rejected") != null && folder("Rejected").getMessageCount() == 1);
        assertEquals("[brand] a mug", folder("Rejected").getMessages().get(0).getMimeMessage().getSubject());
        assertEquals(0, replies(MAIL, "mallory@evil.test").size());
        assertEquals(1, outcomes().delivered() + outcomes().failed(), "only the allowed mail became a job: " + outcomes().summary());
        assertEquals(0, outcomes().inProgress());
        assertEquals(0, folder("INBOX").getUnseenCount());
    }

    @Test
    void aCorruptAttachmentIsAnsweredWithTheError() throws Exception {
        deliver(mail("alice@example.com", "[brand] a rocket at dawn", "", attachment("truncated.jpg", "image/jpeg")));

        MimeMessage reply = awaitReplies("alice@example.com", 1).get(0);
        assertEquals("Re: [brand] a rocket at dawn", reply.getSubject());
        String text = textOf(reply);
        assertTrue(text.contains("IMAGE_CORRUPT: truncated.jpg"), text);
        assertTrue(text.contains("What to do: The image is damaged"), text);
        assertEquals(0, attachments(reply).size());
        awaitFinished(1, Duration.ofSeconds(10));
        assertEquals(1, outcomes().failed(), outcomes().summary());
    }

    @Test
    void noMailIsProcessedTwiceAcrossRestarts() throws Exception {
        deliver(mail("alice@example.com", "[brand] a mug on marble", "", attachment("coffee.png", "image/png")));
        awaitReplies("alice@example.com", 1);
        context.stop();

        CamelContext restarted = createCamelContext();
        restarted.start();
        try {
            JobOutcomes outcomes = restarted.getRegistry().lookupByNameAndType("jobOutcomes", JobOutcomes.class);
            // the second mail carries a ticket, which wins over subject and body
            deliver(mail("alice@example.com", "[character] ignored", "ignored too", attachment("chelsea.png", "image/png"),
                    attachment("coffee.png", "image/png"),
                    text("ticket.yaml", "prompt: the cat on a poster\nuseCase: brand\nreferences: [chelsea.png]\n")));
            List<MimeMessage> replies = awaitReplies("alice@example.com", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.delivered() + outcomes.failed() >= 1);
            assertEquals(1, outcomes.delivered(), "only the new mail ran after the restart: " + outcomes.summary());
            String text = textOf(replies.get(1));
            assertTrue(text.contains("Use case: brand") && text.contains("the cat on a poster"), text);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> replies("alice@example.com").size() == 2);
        } finally {
            restarted.stop();
        }
    }

    // ---- mails ---------------------------------------------------------------------------------

    public static MimeMessage mail(String from, String subject, String body, MimeBodyPart... attachments) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
        message.setSubject(subject, "UTF-8");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body, "UTF-8");
        multipart.addBodyPart(text);
        for (MimeBodyPart attachment : attachments) {
            multipart.addBodyPart(attachment);
        }
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    public static MimeBodyPart attachment(String sample, String type) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(sampleBytes(sample), type)));
        part.setFileName(sample);
        part.setDisposition(Part.ATTACHMENT);
        return part;
    }

    static MimeBodyPart text(String name, String content) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, "UTF-8");
        part.setFileName(name);
        part.setDisposition(Part.ATTACHMENT);
        return part;
    }

    private static void deliver(MimeMessage message) {
        deliver(MAIL, message);
    }

    public static void deliver(GreenMailExtension mail, MimeMessage message) {
        mail.getUserManager().getUserByEmail(MAILBOX).deliver(message);
    }

    private static MailFolder folder(String name) throws Exception {
        GreenMailUser user = MAIL.getUserManager().getUserByEmail(MAILBOX);
        return MAIL.getManagers().getImapHostManager().getFolder(user, name);
    }

    private static List<MimeMessage> replies(String to) throws Exception {
        return replies(MAIL, to);
    }

    public static List<MimeMessage> replies(GreenMailExtension mail, String to) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (message.getRecipients(Message.RecipientType.TO) != null && Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(to))) {
                found.add(message);
            }
        }
        return found;
    }

    private static List<MimeMessage> awaitReplies(String to, int count) {
        return awaitReplies(MAIL, to, count);
    }

    static List<MimeMessage> awaitReplies(GreenMailExtension mail, String to, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> replies(mail, to).size() >= count);
        try {
            return replies(mail, to);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String textOf(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof String text) {
            return text;
        }
        Multipart multipart = (Multipart) content;
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType("text/plain") && part.getFileName() == null) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no text part");
    }

    static List<BodyPart> attachments(MimeMessage message) throws IOException, jakarta.mail.MessagingException {
        List<BodyPart> parts = new ArrayList<>();
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i).getFileName() != null) {
                    parts.add(multipart.getBodyPart(i));
                }
            }
        }
        assertNotNull(parts);
        return parts;
    }
}
