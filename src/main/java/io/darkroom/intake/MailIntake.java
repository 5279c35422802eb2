package io.darkroom.intake;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Reference;
import io.darkroom.ticket.Ticket;
import io.darkroom.ticket.TicketReader;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request mail into a job. The subject (after an optional {@code [useCase]} tag) and the
 * body text are the prompt, image attachments the references, and an attached JSON or YAML ticket
 * wins over both. Attachments are streamed into the mail's spool folder. Only allow-listed senders
 * get this far; everything else is set aside unanswered, and so are Darkroom's own and automatic
 * mails, which would otherwise answer each other in a loop.
 */
public class MailIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);
    /** The camel-mail header that moves the mail to another folder once this exchange completes. */
    private static final String MOVE_TO = "moveTo";
    static final String PROMPT_FILE = "message.txt";

    private final MailSenders senders;
    private final String ownAddress;
    private final MailSpool spool;
    private final TicketReader tickets;
    private final JobClaims claims;
    private final String processedFolder;
    private final String rejectedFolder;
    private final Clock clock;

    /** Cluster mode: the ledger decides which node takes each mail of the shared mailbox (null: this node alone reads it). */
    private volatile io.darkroom.ledger.ClusterLedger cluster;

    /** Cluster mode: several nodes read this mailbox; a mail becomes a job on the node whose claim in the ledger wins. */
    public void setCluster(io.darkroom.ledger.ClusterLedger cluster) {
        this.cluster = cluster;
    }

    public MailIntake(MailSenders senders, String ownAddress, MailSpool spool, TicketReader tickets, JobClaims claims,
                      String processedFolder, String rejectedFolder, Clock clock) {
        this.senders = senders;
        this.ownAddress = ownAddress == null ? "" : ownAddress.trim().toLowerCase(Locale.ROOT);
        this.spool = spool;
        this.tickets = tickets;
        this.claims = claims;
        this.processedFolder = blankToNull(processedFolder);
        this.rejectedFolder = blankToNull(rejectedFolder);
        this.clock = clock;
    }

    /** Why this mail must not be processed (nor answered), or null when it may be. */
    public String refusal(Exchange exchange) throws MessagingException {
        Message mail = mail(exchange);
        String sender = sender(mail);
        if (sender == null) {
            return "it has no sender address";
        }
        if (sender.equals(ownAddress)) {
            return "it was sent by Darkroom itself";
        }
        String[] autoSubmitted = mail.getHeader("Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted[0].trim().equalsIgnoreCase("no")) {
            return "it is an automatic mail (Auto-Submitted: " + autoSubmitted[0].trim() + ")";
        }
        if (!senders.allows(sender)) {
            return "the sender " + sender + " is not in darkroom.mail.allowed-senders";
        }
        return null;
    }

    public boolean isRefused(Exchange exchange) throws MessagingException {
        return refusal(exchange) != null;
    }

    /** Leaves the mail unanswered; it is marked seen, and moved to the rejected folder if one is set. */
    public void setAside(Exchange exchange) throws MessagingException {
        LOG.info("Mail '{}' set aside unanswered: {}", mail(exchange).getSubject(), refusal(exchange));
        if (rejectedFolder != null) {
            exchange.getMessage().setHeader(MOVE_TO, rejectedFolder);
        }
    }

    /** Replaces the mail message of the exchange by its job; the mail itself is marked or moved when the exchange completes. */
    public void read(Exchange exchange) throws MessagingException, IOException {
        Message mail = mail(exchange);
        String subject = mail.getSubject() == null ? "" : mail.getSubject();
        MailSubject parsed = MailSubject.parse(subject);
        Instant received = mail.getReceivedDate() != null ? mail.getReceivedDate().toInstant()
                : mail.getSentDate() != null ? mail.getSentDate().toInstant() : Instant.now(clock);
        Job job = NewJob.found("mail", "mail-" + stem(parsed.text()), received);
        String sender = sender(mail);
        if (cluster != null && !cluster.claimInput(mailKey(mail, sender, subject, received), job.getId())) {
            // another node has this mail; it marks it seen (or moves it) when it has read it
            LOG.debug("Mail '{}' from {} is taken by another node", subject, sender);
            exchange.setRouteStop(true);
            return;
        }
        Path folder = spool.newFolder(job.getId());
        job.getOrigin().put("sender", sender);
        job.getOrigin().put("subject", subject);
        job.getOrigin().put("messageId", firstHeader(mail, "Message-ID"));
        job.getOrigin().put("references", firstHeader(mail, "References"));
        job.getOrigin().put("defaultDestination", "mailto:" + sender);
        job.getOrigin().put("spool", folder.toString());
        try {
            fill(job, mail, parsed, folder);
        } catch (MessagingException | IOException e) {
            // the sender still deserves an answer: the job fails at accept with this reason
            LOG.warn("Mail '{}' from {} could not be read: {}", subject, sender, e.toString());
            job.setIntakeError(ErrorCode.TICKET_INVALID);
            job.setIntakeErrorMessage("The mail could not be read (" + e.getClass().getSimpleName() + "); send it again as a plain mail "
                    + "with the images attached.");
        }
        job.getInputs().forEach(input -> claims.claim(Path.of(input)));
        spool.save(job);
        LOG.info("Job {} found in a mail from {}: {} attachment(s) kept", job.getId(), sender, job.getReferences().size());

        DefaultMessage plain = new DefaultMessage(exchange);
        plain.setBody(job);
        if (processedFolder != null) {
            plain.setHeader(MOVE_TO, processedFolder);
        }
        exchange.setMessage(plain);
    }

    /** A mail's claim key in the ledger: its Message-ID, else what identifies it as sent. Mail claims stay (a mail is read once). */
    private static String mailKey(Message mail, String sender, String subject, Instant received) throws MessagingException {
        String messageId = firstHeader(mail, "Message-ID");
        return io.darkroom.ledger.ClusterLedger.MAIL_CLAIM_PREFIX + (messageId != null && !messageId.isBlank() ? messageId.trim()
                : sender + "|" + received + "|" + subject.hashCode());
    }

    private void fill(Job job, Message mail, MailSubject subject, Path folder) throws MessagingException, IOException {
        MailParts parts = new MailParts();
        collect(mail, false, parts);
        Map<String, Path> images = new LinkedHashMap<>();
        Map<String, String> originalNames = new LinkedHashMap<>();
        Path ticketFile = null;
        Set<String> used = new HashSet<>(Set.of(PROMPT_FILE, "job.json"));
        int index = 0;
        for (Part part : parts.attachments) {
            index++;
            String original = decode(part.getFileName());
            String name = unique(safeName(original, part.getContentType(), index), used);
            boolean image = TicketPairing.isImageName(name);
            boolean ticket = isStructuredTicket(name);
            if (!image && !(ticket && ticketFile == null)) {
                LOG.info("Job {}: attachment {} ignored (neither an image nor a JSON/YAML ticket)", job.getId(), name);
                continue;
            }
            Path target = folder.resolve(name);
            try (InputStream in = part.getInputStream()) {
                Files.copy(in, target);
            }
            job.getInputs().add(target.toString());
            if (image) {
                images.put(name, target);
                if (original != null) {
                    originalNames.put(original, name);
                }
            } else {
                ticketFile = target;
            }
        }
        Ticket fromMail = new Ticket();
        String prompt = join(subject.text(), MailText.bodyOf(parts.text, parts.html));
        fromMail.setPrompt(prompt.isBlank() ? null : prompt);
        fromMail.setUseCase(subject.useCase());

        Ticket ticket;
        if (ticketFile != null) {
            job.setTicketName(ticketFile.getFileName().toString());
            try {
                ticket = tickets.read(ticketFile).withDefaults(fromMail);
            } catch (JobFailure failure) {
                job.setIntakeError(failure.code());
                job.setIntakeErrorMessage(failure.getMessage());
                return;
            }
        } else {
            Path promptFile = folder.resolve(PROMPT_FILE);
            Files.writeString(promptFile, prompt, StandardCharsets.UTF_8);
            job.getInputs().add(0, promptFile.toString());
            job.setTicketName(PROMPT_FILE);
            ticket = fromMail;
        }
        job.setTicket(ticket);
        if (ticket.getReferences() == null) {
            images.forEach((name, path) -> job.getReferences().add(new Reference(name, path.toString())));
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String wanted : ticket.getReferences()) {
            String name = images.containsKey(wanted) ? wanted : originalNames.get(wanted);
            if (name == null) {
                missing.add(wanted);
            } else {
                job.getReferences().add(new Reference(name, images.get(name).toString()));
            }
        }
        if (!missing.isEmpty()) {
            job.setIntakeError(ErrorCode.REFERENCE_MISSING);
            job.setIntakeErrorMessage("Ticket " + job.getTicketName() + " names " + String.join(", ", missing)
                    + ", which " + (missing.size() == 1 ? "is" : "are") + " not attached to the mail.");
        }
    }

    /** The parts of a mail that matter: its text (plain, else HTML) and its attachments. */
    private static final class MailParts {
        private String text;
        private String html;
        private final List<Part> attachments = new ArrayList<>();
    }

    private static void collect(Part part, boolean insideRelated, MailParts parts) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            boolean related = insideRelated || part.isMimeType("multipart/related");
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), related, parts);
            }
            return;
        }
        if (part.isMimeType("message/rfc822")) {
            return;  // a forwarded mail is context, not the request
        }
        boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        // pictures inside multipart/related belong to an HTML body (logos, signatures), not to the request
        if (attached || (part.getFileName() != null && !insideRelated)) {
            parts.attachments.add(part);
        } else if (parts.text == null && part.isMimeType("text/plain")) {
            parts.text = textOf(part);
        } else if (parts.html == null && part.isMimeType("text/html")) {
            parts.html = textOf(part);
        }
    }

    private static String textOf(Part part) throws MessagingException, IOException {
        try {
            Object content = part.getContent();
            return content instanceof String text ? text : null;
        } catch (UnsupportedEncodingException unknownCharset) {
            try (InputStream in = part.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static boolean isStructuredTicket(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    /** A file name that is safe in the spool folder, with an extension from the content type if it had none. */
    static String safeName(String original, String contentType, int index) {
        String name = original == null ? "" : original;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._]+", "");
        if (name.isEmpty()) {
            name = "attachment-" + index;
        }
        if (name.lastIndexOf('.') <= 0) {
            name += extensionFor(contentType);
        }
        if (name.length() > 100) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, 100 - extension.length()) + extension;
        }
        return name;
    }

    private static String extensionFor(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("image/png")) {
            return ".png";
        }
        if (type.startsWith("image/jpeg") || type.startsWith("image/jpg")) {
            return ".jpg";
        }
        if (type.startsWith("image/webp")) {
            return ".webp";
        }
        if (type.startsWith("application/json")) {
            return ".json";
        }
        return "";
    }

    private static String unique(String name, Set<String> used) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        }
        return candidate;
    }

    private static String decode(String fileName) {
        if (fileName == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(fileName);
        } catch (UnsupportedEncodingException e) {
            return fileName;
        }
    }

    private static String join(String subject, String body) {
        String a = subject == null ? "" : subject.strip();
        String b = body == null ? "" : body.strip();
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + "\n\n" + b;
    }

    private static String stem(String text) {
        String words = text == null ? "" : text.strip().replaceAll("\\s+", "-");
        return words.length() > 30 ? words.substring(0, 30) : words;
    }

    private static Message mail(Exchange exchange) {
        return exchange.getIn(MailMessage.class).getOriginalMessage();
    }

    /** The From address in lower case, or null. Replies go to it (never to Reply-To), so an allowed address cannot be used to mail others. */
    static String sender(Message mail) throws MessagingException {
        Address[] from = mail.getFrom();
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress address) || address.getAddress() == null) {
            return null;
        }
        return address.getAddress().trim().toLowerCase(Locale.ROOT);
    }

    private static String firstHeader(Message mail, String name) throws MessagingException {
        String[] values = mail.getHeader(name);
        return values == null || values.length == 0 ? null : values[0].trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
