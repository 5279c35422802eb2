package io.darkroom.deliver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.Backoff;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Json;
import io.darkroom.plan.DestinationRules;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The steps of a webhook delivery (route deliver-webhook): the manifest, with where each output
 * is stored, is POSTed signed (see {@link WebhookSignature}); anything but a 2xx is tried again
 * after a growing wait, with the same {@code webhook-id} so the receiver can drop repeats; after
 * the last attempt the failure goes into the manifest and the job fails with DELIVERY_FAILED.
 */
public class WebhookCalls {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookCalls.class);
    static final String STATE = "webhookState";

    private final WebhookSignature signature;
    private final Manifest manifest;
    private final Set<String> allowedHttpHosts;
    private final int maxAttempts;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final Clock clock;
    private final ObjectMapper json = Json.MAPPER;

    /** @param signature null when no secret is configured (such destinations are refused at accept) */
    public WebhookCalls(WebhookSignature signature, Manifest manifest, Set<String> allowedHttpHosts, int maxAttempts,
                        long initialDelayMillis, long maxDelayMillis, Clock clock) {
        this.signature = signature;
        this.manifest = manifest;
        this.allowedHttpHosts = allowedHttpHosts;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.clock = clock;
    }

    /** Fixes what every attempt sends: the id and the body. */
    public void begin(Exchange exchange) throws JsonProcessingException {
        Job job = job(exchange);
        String url = destination(exchange);
        // checked again here: configuration may have changed since the job was accepted
        URI uri = URI.create(url);
        if (signature == null) {
            throw new JobFailure(ErrorCode.DELIVERY_FAILED, "Webhook " + url + " was not called: darkroom.webhook.secret is not set.");
        }
        if ("http".equals(DestinationRules.kindOf(url)) && !allowedHttpHosts.contains(String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT))) {
            throw new JobFailure(ErrorCode.DELIVERY_FAILED, "Webhook " + url + " was not called: plain http to "
                    + uri.getHost() + " is not allowed (darkroom.webhook.allowed-http-hosts).");
        }
        exchange.setProperty("webhookId", idFor(job, url));
        exchange.setProperty("webhookPayload", payload(job));
        exchange.setProperty("webhookAttempt", 0);
        exchange.setProperty("webhookDelay", 0L);
        exchange.setProperty(STATE, "pending");
    }

    /** One attempt: signed now, with the same id and body as every other attempt. */
    public void prepare(Exchange exchange) {
        int attempt = exchange.getProperty("webhookAttempt", Integer.class) + 1;
        exchange.setProperty("webhookAttempt", attempt);
        String id = exchange.getProperty("webhookId", String.class);
        byte[] body = exchange.getProperty("webhookPayload", byte[].class);
        long timestamp = clock.millis() / 1000;
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, destination(exchange));
        message.setHeader("Content-Type", "application/json");
        message.setHeader("User-Agent", "Darkroom");
        message.setHeader("webhook-id", id);
        message.setHeader("webhook-timestamp", String.valueOf(timestamp));
        message.setHeader("webhook-signature", signature.sign(id, timestamp, body));
        message.setBody(body);
    }

    public void read(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        forget(exchange);
        if (status != null && status >= 200 && status < 300) {
            exchange.setProperty(STATE, "delivered");
            LOG.info("Job {}: webhook {} accepted the results (HTTP {}, attempt {})", job(exchange).getId(), destination(exchange),
                    status, exchange.getProperty("webhookAttempt"));
            return;
        }
        tryAgain(exchange, "HTTP " + status);
    }

    public void unanswered(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        forget(exchange);
        tryAgain(exchange, cause == null ? "no answer" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void tryAgain(Exchange exchange, String why) {
        int attempt = exchange.getProperty("webhookAttempt", Integer.class);
        exchange.setProperty("webhookError", why);
        if (attempt >= maxAttempts) {
            exchange.setProperty(STATE, "failed");
            return;
        }
        long delay = Backoff.delay(initialDelayMillis, maxDelayMillis, attempt);
        exchange.setProperty("webhookDelay", delay);
        LOG.info("Job {}: webhook {} failed ({}); attempt {} of {} in {} ms", job(exchange).getId(), destination(exchange), why,
                attempt + 1, maxAttempts, delay);
    }

    /** The last attempt failed: the manifest will say so (it is written again to where the outputs are). */
    public void recordFailure(Exchange exchange) throws IOException {
        Job job = job(exchange);
        job.getFailedDestinations().put(destination(exchange), "not accepted after " + exchange.getProperty("webhookAttempt")
                + " attempts (last: " + exchange.getProperty("webhookError") + ")");
        exchange.setProperty("manifest", manifest.json(job));
    }

    /** The destinations that hold the manifest. */
    public List<String> storingDestinations(Exchange exchange) {
        return job(exchange).getDestinations().stream().filter(d -> DestinationRules.STORAGE.contains(DestinationRules.kindOf(d))).toList();
    }

    public void giveUp(Exchange exchange) {
        throw new JobFailure(ErrorCode.DELIVERY_FAILED, "Webhook " + destination(exchange) + " did not accept the results after "
                + exchange.getProperty("webhookAttempt") + " attempts (last: " + exchange.getProperty("webhookError") + ").");
    }

    /** The body: the manifest, each output with the places it is stored at. */
    byte[] payload(Job job) throws JsonProcessingException {
        return json.writeValueAsBytes(manifest.document(job).withLocations(file -> OutputLocations.of(job, file)));
    }

    /** The same for every attempt and every restart, so receivers can recognise a repeat. */
    static String idFor(Job job, String destination) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((job.getId() + "\n" + destination).getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void forget(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }

    private static String destination(Exchange exchange) {
        return exchange.getProperty("destination", String.class);
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty("job", Job.class);
    }
}
