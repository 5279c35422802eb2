package io.darkroom.deliver;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivers each destination of a job on its own: one that fails is tried again after growing waits
 * (an asynchronous delay), without holding back the others; one that keeps failing is recorded, and
 * once every destination was tried the job fails with DELIVERY_FAILED, its outputs still kept.
 * A failure that already carries a code (a webhook that ran out of attempts) is final at once.
 */
public class DestinationAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationAttempts.class);

    static final String STATE = "destinationState";
    static final String ATTEMPT = "destinationAttempt";
    static final String DELAY = "destinationDelay";

    private final int maxAttempts;
    private final long initialDelayMillis;
    private final long maxDelayMillis;

    public DestinationAttempts(int maxAttempts, long initialDelayMillis, long maxDelayMillis) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Sets up the attempts for the destination in the body; one already served earlier is skipped. */
    public void begin(Exchange exchange) {
        Job job = job(exchange);
        String destination = exchange.getMessage().getBody(String.class);
        exchange.setProperty("destination", destination);
        exchange.setProperty(ATTEMPT, 0);
        exchange.setProperty(DELAY, 0L);
        exchange.setProperty(STATE, job.getDeliveredDestinations().contains(destination) ? "done" : "pending");
    }

    public void delivered(Exchange exchange) {
        Job job = job(exchange);
        String destination = exchange.getProperty("destination", String.class);
        synchronized (job) {
            job.getFailedDestinations().remove(destination);
            if (!job.getDeliveredDestinations().contains(destination)) {
                job.getDeliveredDestinations().add(destination);
            }
        }
        exchange.setProperty(STATE, "done");
    }

    public void failed(Exchange exchange) {
        Job job = job(exchange);
        String destination = exchange.getProperty("destination", String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempt = exchange.getProperty(ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPT, attempt);
        JobFailure finalFailure = codedFailure(cause);
        String reason = finalFailure != null ? finalFailure.getMessage() : describe(cause);
        boolean coded = finalFailure != null;
        if (coded || attempt >= maxAttempts) {
            synchronized (job) {
                job.getFailedDestinations().put(destination, coded ? reason : "failed " + attempt + " time(s) (last: " + reason + ")");
            }
            exchange.setProperty(STATE, "failed");
            LOG.warn("Job {}: destination {} failed: {}", job.getId(), destination, reason);
            return;
        }
        long delay = Math.min(maxDelayMillis, initialDelayMillis << Math.min(20, attempt - 1));
        exchange.setProperty(DELAY, delay);
        LOG.info("Job {}: destination {} failed ({}); trying again in {} ms", job.getId(), destination, reason, delay);
    }

    /** After every destination was tried: the job fails when any of them does not hold the outputs. */
    public void check(Job job) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> failure : job.getFailedDestinations().entrySet()) {
            if (!job.getDeliveredDestinations().contains(failure.getKey())) {
                problems.add(failure.getKey() + ": " + failure.getValue());
            }
        }
        if (!problems.isEmpty()) {
            List<String> kept = KeptOutputs.paths(job);
            throw new JobFailure(ErrorCode.DELIVERY_FAILED, "Job " + job.getId() + " could not be delivered to "
                    + String.join("; ", problems) + ". Its " + kept.size() + " output(s) are kept (see keptOutputs)"
                    + (job.getDeliveredDestinations().isEmpty() ? "" : " and were delivered to " + String.join(", ", job.getDeliveredDestinations()))
                    + ": fix the destination, then drop the ticket again to deliver them without paying again.");
        }
    }

    private static JobFailure codedFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JobFailure failure) {
                return failure;
            }
        }
        return null;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof JobFailure)) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof JobFailure ? message : root.getClass().getSimpleName() + ": " + message;
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty("job", Job.class);
    }
}
