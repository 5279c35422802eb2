package io.darkroom.plan;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.s3.S3Location;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a destination before any money is spent: a scheme Darkroom can deliver to, a well-formed
 * address, and no loop (results written where an intake reads would come back as new jobs).
 */
public class DestinationRules {

    /** Kinds that store the outputs; the others (mail, webhook) only tell someone about them. */
    public static final Set<String> STORAGE = Set.of("file", "s3");
    public static final Set<String> KNOWN = Set.of("file", "s3", "mailto", "http", "https");

    private final Path inbox;
    private final S3Location s3Intake;
    private final boolean mailEnabled;
    private final Set<String> allowedHttpHosts;
    private final boolean webhookSecretSet;

    /**
     * @param s3Intake where the S3 intake reads, or null when it is off
     * @param allowedHttpHosts hosts that may get webhooks over plain http (lower case)
     */
    /** A comma-separated host list (darkroom.webhook.allowed-http-hosts) as lower-case names. */
    public static Set<String> hosts(String commaSeparated) {
        Set<String> hosts = new java.util.HashSet<>();
        for (String host : (commaSeparated == null ? "" : commaSeparated).split(",")) {
            if (!host.isBlank()) {
                hosts.add(host.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return hosts;
    }

    public DestinationRules(Path inbox, S3Location s3Intake, boolean mailEnabled, Set<String> allowedHttpHosts, boolean webhookSecretSet) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.s3Intake = s3Intake;
        this.mailEnabled = mailEnabled;
        this.allowedHttpHosts = allowedHttpHosts;
        this.webhookSecretSet = webhookSecretSet;
    }

    /** The part before ':' in lower case, which names the deliver route. */
    public static String kindOf(String destination) {
        int colon = destination.indexOf(':');
        return colon <= 0 ? "" : destination.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    public void check(String destination) {
        String kind = kindOf(destination);
        switch (kind) {
            case "file" -> checkFolder(destination);
            case "s3" -> checkBucket(destination);
            case "mailto" -> checkMail(destination);
            case "http", "https" -> checkWebhook(destination, kind);
            default -> throw invalid(destination, "has no known kind: use file:, s3://, mailto:, https:// (or http:// to an allowed host)");
        }
    }

    private void checkFolder(String destination) {
        String folder = destination.substring("file:".length());
        if (folder.isBlank()) {
            throw invalid(destination, "names no folder");
        }
        if (Path.of(folder).toAbsolutePath().normalize().startsWith(inbox)) {
            throw invalid(destination, "is inside the inbox, where results would be read again as new jobs");
        }
    }

    private void checkBucket(String destination) {
        S3Location location;
        try {
            location = S3Location.parse(destination);
        } catch (IllegalArgumentException e) {
            throw invalid(destination, "is not a bucket location: " + e.getMessage());
        }
        if (s3Intake != null && location.overlaps(s3Intake)) {
            throw invalid(destination, "overlaps the S3 intake " + s3Intake + ", where results would be read again as new jobs");
        }
    }

    private void checkMail(String destination) {
        if (!mailEnabled) {
            throw invalid(destination, "needs mail to be set up (darkroom.mail.enabled and the SMTP settings)");
        }
        String address = destination.substring("mailto:".length());
        try {
            new InternetAddress(address, true).validate();
        } catch (AddressException e) {
            throw invalid(destination, "is not a valid mail address");
        }
        if (address.contains(",") || address.contains("?")) {
            throw invalid(destination, "must name exactly one address");
        }
    }

    private void checkWebhook(String destination, String kind) {
        URI uri;
        try {
            uri = new URI(destination);
        } catch (URISyntaxException e) {
            throw invalid(destination, "is not a valid URL");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw invalid(destination, "names no host");
        }
        if (uri.getUserInfo() != null) {
            throw invalid(destination, "must not carry a user name or password; webhooks are signed instead");
        }
        if (kind.equals("http") && !allowedHttpHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw invalid(destination, "uses plain http to " + host + ", which is not in darkroom.webhook.allowed-http-hosts; use https");
        }
        if (!webhookSecretSet) {
            throw invalid(destination, "is a webhook, and webhooks are signed: set DARKROOM_WEBHOOK_SECRET (darkroom.webhook.secret)");
        }
    }

    private static JobFailure invalid(String destination, String why) {
        return new JobFailure(ErrorCode.TICKET_INVALID, "Destination '" + destination + "' " + why + ".");
    }
}
