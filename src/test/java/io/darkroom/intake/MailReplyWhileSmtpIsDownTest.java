package io.darkroom.intake;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.darkroom.DarkroomTestSupport;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import io.darkroom.sim.AtlasSimulatorExtension;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static io.darkroom.intake.MailIntakeTest.MAILBOX;
import static io.darkroom.intake.MailIntakeTest.attachment;
import static io.darkroom.intake.MailIntakeTest.attachments;
import static io.darkroom.intake.MailIntakeTest.mail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mail job whose answer cannot be sent (the SMTP server is down) was still paid for: its outputs
 * are kept and the job ends DELIVERY_FAILED. When the same mail comes again with the server back,
 * the kept outputs are answered without a second request to the provider.
 */
class MailReplyWhileSmtpIsDownTest extends DarkroomTestSupport {

    private static final int SMTP = AvailablePortFinder.getNextAvailable();
    private static final int IMAP = AvailablePortFinder.getNextAvailable();

    // the mailbox only: nothing listens on the SMTP port until the test starts a server there
    @RegisterExtension
    static final GreenMailExtension MAILBOX_ONLY = new GreenMailExtension(new ServerSetup(IMAP, "127.0.0.1", ServerSetup.PROTOCOL_IMAP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, "darkroom", MailIntakeTest.PASSWORD));

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(100));

    @Override
    protected void testProperties(Properties properties) {
        MailIntakeTest.mailProperties(properties, IMAP, SMTP);
        simulator.configure(properties);
        properties.put("darkroom.deliver.max-attempts", "2");
        properties.put("darkroom.deliver.initial-delay", "50");
        properties.put("darkroom.deliver.max-delay", "100");
    }

    @Test
    void theOutputsOfAnUnansweredMailAreKeptAndTheSameMailLaterIsAnsweredWithoutPayingAgain() throws Exception {
        MailIntakeTest.deliver(MAILBOX_ONLY, mail("alice@example.com", "[character] The same cat as an astronaut", "",
                attachment("chelsea.png", "image/png")));

        awaitFinished(1, Duration.ofSeconds(30));
        assertEquals(1, outcomes().failed(), outcomes().summary());
        assertEquals(1, simulator.get().submitCount());
        JobLedger ledger = context.getRegistry().lookupByNameAndType("jobLedger", JobLedger.class);
        Job job = ledger.inStates(JobState.FAILED).get(0);
        assertEquals(JobState.FAILED, job.getState());
        assertEquals(ErrorCode.DELIVERY_FAILED, job.getErrorCode(), job.getErrorMessage());
        assertTrue(job.getFailedDestinations().containsKey("mailto:alice@example.com"), job.getFailedDestinations().toString());
        Path kept = data.resolve("outputs").resolve(job.getId()).resolve(job.getId() + "-1.png");
        assertTrue(Files.isRegularFile(kept), "the paid output is kept under the data folder");

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, "darkroom", MailIntakeTest.PASSWORD));
        smtp.start();
        try {
            MailIntakeTest.deliver(MAILBOX_ONLY, mail("alice@example.com", "[character] The same cat as an astronaut", "",
                    attachment("chelsea.png", "image/png")));

            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 1);
            MimeMessage reply = smtp.getReceivedMessages()[0];
            assertEquals("Re: [character] The same cat as an astronaut", reply.getSubject());
            List<String> attached = attachments(reply).stream().map(part -> {
                try {
                    return part.getFileName();
                } catch (jakarta.mail.MessagingException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            assertEquals(List.of(job.getId() + "-1.png"), attached, "the kept output of the first job is the answer");
            awaitFinished(2, Duration.ofSeconds(30));
            assertEquals(1, simulator.get().submitCount(), "answered from the kept outputs; the provider is not called again");
            assertEquals(JobState.DELIVERED, ledger.find(job.getId()).getState());
            assertFalse(Files.exists(kept), "kept outputs go once every destination has them");
        } finally {
            smtp.stop();
        }
    }
}
