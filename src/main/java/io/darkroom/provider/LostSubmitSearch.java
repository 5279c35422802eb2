package io.darkroom.provider;

import io.darkroom.job.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Looks a submit whose answer was lost up in the provider's own record of jobs (for Atlas, its
 * prediction history), so a job that was in fact created is polled and delivered instead of being
 * given up as SUBMIT_UNKNOWN. One read-only request, never a submit: it cannot bill anything.
 */
public class LostSubmitSearch {

    private static final Logger LOG = LoggerFactory.getLogger(LostSubmitSearch.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The provider's id for the job, or null when the provider has no such search or did not find exactly one. */
    public String find(ProviderMapping mapping, Job job, ProviderSettings settings) {
        HttpCall call = mapping.findLostSubmit(job, settings);
        if (call == null) {
            return null;
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(20)).GET();
            call.headers().forEach(request::header);
            HttpResponse<byte[]> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            reply.headers().map().forEach((name, values) -> headers.put(name, values.isEmpty() ? null : values.get(0)));
            return mapping.readLostSubmit(job, new HttpReply(reply.statusCode(), reply.body(), headers::get));
        } catch (IOException e) {
            LOG.warn("Job {}: the search for its lost submit failed ({})", job.getId(), e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
