package io.darkroom.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.job.Reference;
import org.apache.camel.Handler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest written beside a job's outputs: what was asked, what ran and why, what it cost,
 * how long it took, and every output with its size and SHA-256. Built from the job only, which
 * holds no secret.
 */
public class Manifest {

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Handler
    public byte[] json(Job job) throws IOException {
        return json.writeValueAsBytes(content(job));
    }

    public Map<String, Object> content(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.getId());
        // a destination that failed in the end (a webhook) makes the whole job fail; the manifest says which
        m.put("state", !job.getFailedDestinations().isEmpty() ? "FAILED" : job.getErrorCode() == ErrorCode.PARTIAL_RESULT ? "PARTIAL" : "DELIVERED");
        if (job.getErrorCode() == ErrorCode.PARTIAL_RESULT) {
            Map<String, Object> partial = new LinkedHashMap<>();
            partial.put("code", ErrorCode.PARTIAL_RESULT.name());
            partial.put("outputsAsked", job.getOutputsAsked());
            partial.put("outputsReceived", job.getOutputs().size());
            partial.put("message", job.getErrorMessage());
            m.put("partial", partial);
        }
        m.put("ticket", job.getTicket());
        m.put("ticketFile", job.getTicketName());
        m.put("source", job.getSource());
        List<Map<String, Object>> references = new ArrayList<>();
        for (Reference r : job.getReferences()) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("name", r.getName());
            ref.put("format", r.getFormat());
            ref.put("width", r.getWidth());
            ref.put("height", r.getHeight());
            ref.put("bytes", r.getSizeBytes());
            references.add(ref);
        }
        m.put("references", references);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("useCase", job.getPlan().getUseCase());
        plan.put("model", job.getPlan().getModel());
        plan.put("provider", job.getPlan().getProvider());
        plan.put("providerModel", job.getPlan().getProviderModel());
        plan.put("why", job.getPlan().getReason());
        m.put("plan", plan);
        if (job.getRequest() != null && !job.getRequest().isEmpty()) {
            m.put("request", job.getRequest());
        }
        m.put("providerJobId", job.getCalls() > 1 && !job.getPredictions().isEmpty() ? job.getPredictions().get(0) : job.getProviderJobId());
        if (job.getCalls() > 1) {
            m.put("providerJobIds", job.getPredictions());
        }
        m.put("polls", job.getPolls());
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("queued", job.getReceivedAt());
        timings.put("submitted", job.getSubmittedAt());
        timings.put("completed", job.getCompletedAt());
        m.put("timings", timings);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("estimatedUsd", job.getPlan().getEstimatedCostUsd());
        cost.put("actualUsd", job.getActualCostUsd());
        m.put("cost", cost);
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (JobOutput o : job.getOutputs()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", o.getFileName());
            out.put("bytes", o.getSizeBytes());
            out.put("sha256", o.getSha256());
            out.put("contentType", o.getMimeType());
            outputs.add(out);
        }
        m.put("outputs", outputs);
        m.put("destinations", job.getDestinations());
        if (!job.getFailedDestinations().isEmpty()) {
            m.put("failedDestinations", job.getFailedDestinations());
        }
        m.put("metadata", job.getTicket().getMetadata());
        return m;
    }
}
