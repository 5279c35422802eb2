package io.darkroom.deliver;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.job.Json;
import io.darkroom.job.Reference;
import io.darkroom.ticket.Ticket;
import org.apache.camel.Handler;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The manifest written beside a job's outputs: what was asked, what ran and why, what it cost,
 * how long it took, and every output with its size and SHA-256. Built from the job only, which
 * holds no secret.
 */
public class Manifest {

    private final ObjectWriter json = Json.pretty();

    @Handler
    public byte[] json(Job job) throws IOException {
        return json.writeValueAsBytes(document(job));
    }

    public Document document(Job job) {
        return new Document(job.getId(),
                // a destination that failed in the end (a webhook) makes the whole job fail; the manifest says which
                job.getFailedDestinations().isEmpty() ? "DELIVERED" : "FAILED",
                job.getTicket(), job.getTicketName(), job.getSource(),
                job.getReferences().stream().map(ReferenceEntry::of).toList(),
                new PlanEntry(job.getPlan().getUseCase(), job.getPlan().getModel(), job.getPlan().getProvider(),
                        job.getPlan().getProviderModel(), job.getPlan().getReason()),
                job.getProviderJobId(), job.getPolls(),
                new Timings(job.getReceivedAt(), job.getSubmittedAt(), job.getCompletedAt()),
                new Cost(job.getPlan().getEstimatedCostUsd(), job.getActualCostUsd()),
                job.getOutputs().stream().map(OutputEntry::of).toList(),
                job.getDestinations(), job.getFailedDestinations(), job.getTicket().getMetadata());
    }

    /** The manifest document; its JSON field names are the manifest's published shape. */
    public record Document(String job, String state, Ticket ticket, String ticketFile, String source, List<ReferenceEntry> references,
                           PlanEntry plan, String providerJobId, int polls, Timings timings, Cost cost, List<OutputEntry> outputs,
                           List<String> destinations, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> failedDestinations,
                           Map<String, Object> metadata) {

        /** The same document with each output's storage locations (what a webhook receiver needs). */
        public Document withLocations(Function<String, List<String>> locationsOfFile) {
            return new Document(job, state, ticket, ticketFile, source, references, plan, providerJobId, polls, timings, cost,
                    outputs.stream().map(o -> o.withLocations(locationsOfFile.apply(o.file()))).toList(),
                    destinations, failedDestinations, metadata);
        }
    }

    public record ReferenceEntry(String name, String format, int width, int height, long bytes) {
        static ReferenceEntry of(Reference r) {
            return new ReferenceEntry(r.getName(), r.getFormat(), r.getWidth(), r.getHeight(), r.getSizeBytes());
        }
    }

    public record PlanEntry(String useCase, String model, String provider, String providerModel, String why) {
    }

    public record Timings(String queued, String submitted, String completed) {
    }

    public record Cost(double estimatedUsd, Double actualUsd) {
    }

    public record OutputEntry(String file, long bytes, String sha256, String contentType,
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<String> locations) {
        static OutputEntry of(JobOutput o) {
            return new OutputEntry(o.getFileName(), o.getSizeBytes(), o.getSha256(), o.getMimeType(), null);
        }

        OutputEntry withLocations(List<String> where) {
            return new OutputEntry(file, bytes, sha256, contentType, where);
        }
    }
}
