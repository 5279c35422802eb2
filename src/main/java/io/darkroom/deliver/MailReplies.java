package io.darkroom.deliver;

import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the mails Darkroom sends: the results (images attached, or where they are when they are
 * too large to attach), a failure with its error sentence, or a note. A job that came by mail is
 * answered in the same thread (Re: subject, In-Reply-To and References); any other address gets a
 * new mail. Every mail is marked Auto-Submitted, so auto-responders do not answer it.
 */
public class MailReplies {

    private final String from;
    private final long maxAttachmentBytes;
    private final Path outbox;
    private final Manifest manifest;

    public MailReplies(String from, long maxAttachmentBytes, Path outbox, Manifest manifest) {
        this.from = from;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.outbox = outbox.toAbsolutePath().normalize();
        this.manifest = manifest;
    }

    /**
     * Results too large to attach need a place to stay: the use case's outbox folder, unless the
     * job already stores them somewhere. Null when nothing extra is needed.
     */
    public String storedCopyFolder(Exchange exchange) {
        Job job = job(exchange);
        if (totalBytes(job) <= maxAttachmentBytes || !OutputLocations.jobFolders(job).isEmpty()) {
            return null;
        }
        return "file:" + outbox.resolve(job.getPlan().getUseCase());
    }

    /** The mail for one mailto: destination. */
    public void results(Exchange exchange) {
        Job job = job(exchange);
        String to = exchange.getProperty("destination", String.class).substring("mailto:".length());
        boolean attach = totalBytes(job) <= maxAttachmentBytes;
        List<String> folders = new ArrayList<>(OutputLocations.jobFolders(job));
        String storedCopy = exchange.getProperty("keepCopyIn", String.class);
        if (storedCopy != null) {
            folders.add(OutputLocations.jobFolder(job, storedCopy));
        }
        Manifest.Document content = manifest.document(job);
        StringBuilder text = new StringBuilder();
        text.append("Darkroom finished job ").append(job.getId()).append(".\n\n");
        Manifest.PlanEntry plan = content.plan();
        text.append("Use case: ").append(plan.useCase()).append("\n");
        text.append("Model: ").append(plan.model()).append(" via ").append(plan.provider()).append("\n");
        text.append("Why: ").append(plan.why()).append("\n");
        text.append("Prompt: ").append(shorten(job.getTicket().getPrompt())).append("\n");
        Manifest.Cost cost = content.cost();
        text.append(String.format(Locale.ROOT, "Cost: estimated $%.3f, charged $%.3f%n",
                cost.estimatedUsd(), cost.actualUsd() == null ? 0.0 : cost.actualUsd()));
        text.append("\n").append(job.getOutputs().size()).append(job.getOutputs().size() == 1 ? " image" : " images");
        if (attach) {
            text.append(", attached:\n");
        } else {
            text.append(String.format(Locale.ROOT, " (%,d bytes together, above the %,d bytes this mailbox attaches). They are here:%n",
                    totalBytes(job), maxAttachmentBytes));
        }
        for (JobOutput output : job.getOutputs()) {
            text.append(String.format(Locale.ROOT, "  %s  %,d bytes  sha256 %s%n", output.getFileName(), output.getSizeBytes(), output.getSha256()));
            if (!attach) {
                folders.forEach(folder -> text.append("    ").append(folder).append(output.getFileName()).append("\n"));
            }
        }
        if (!folders.isEmpty()) {
            text.append("\nStored with the manifest ").append(job.getId()).append(".json in:\n");
            folders.forEach(folder -> text.append("  ").append(folder).append("\n"));
        }
        Message message = prepare(exchange, job, to, text.toString());
        if (attach) {
            AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
            for (JobOutput output : job.getOutputs()) {
                attachments.addAttachment(output.getFileName(),
                        new DataHandler(new ByteArrayDataSource(output.getBytes(), output.getMimeType())));
            }
        }
        message.setBody(text.toString());
    }

    /** The answer to a mail whose job failed or was held: the stable code, the message and what to do. */
    public void failure(Exchange exchange) {
        Job job = job(exchange);
        String text = "Darkroom could not finish your request (job " + job.getId() + ").\n\n"
                + (job.getErrorCode() == null ? "INTERNAL" : job.getErrorCode().name()) + ": " + job.getErrorMessage() + "\n\n"
                + "What to do: " + (job.getErrorCode() == null ? "" : job.getErrorCode().hint()) + "\n";
        prepare(exchange, job, job.getOrigin().get("sender"), text).setBody(text);
    }

    /** The answer to a mail that repeats an earlier request: the note says which job had it. */
    public void note(Exchange exchange) {
        Job job = job(exchange);
        Map<?, ?> note = exchange.getProperty("note", Map.class);
        String text = "Darkroom did not run this request again (job " + job.getId() + ").\n\n" + note.get("message") + "\n";
        prepare(exchange, job, job.getOrigin().get("sender"), text).setBody(text);
    }

    private Message prepare(Exchange exchange, Job job, String to, String text) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader("To", to);
        message.setHeader("From", from);
        message.setHeader("Auto-Submitted", "auto-replied");
        boolean reply = "mail".equals(job.getSource()) && to.equalsIgnoreCase(job.getOrigin().get("sender"));
        if (reply) {
            message.setHeader("Subject", replySubject(job.getOrigin().get("subject")));
            String messageId = job.getOrigin().get("messageId");
            if (messageId != null) {
                message.setHeader("In-Reply-To", messageId);
                String earlier = job.getOrigin().get("references");
                message.setHeader("References", earlier == null || earlier.isBlank() ? messageId : earlier + " " + messageId);
            }
        } else {
            message.setHeader("Subject", "Darkroom: job " + job.getId());
        }
        message.setBody(text);
        return message;
    }

    static String replySubject(String subject) {
        String original = subject == null ? "" : subject.strip();
        return original.regionMatches(true, 0, "Re:", 0, 3) ? original : "Re: " + original;
    }

    private static long totalBytes(Job job) {
        return job.getOutputs().stream().mapToLong(JobOutput::getSizeBytes).sum();
    }

    private static String shorten(String prompt) {
        String flat = prompt == null ? "" : prompt.strip().replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty("job", Job.class);
    }
}
