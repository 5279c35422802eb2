package io.darkroom.provider.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Json;
import io.darkroom.job.Reference;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.ModelSpec;
import io.darkroom.provider.HttpCall;
import io.darkroom.provider.HttpReply;
import io.darkroom.provider.ProviderContext;
import io.darkroom.provider.ProviderMapping;
import io.darkroom.provider.ProviderSettings;
import io.darkroom.provider.ProviderStep;
import io.darkroom.provider.ReferenceBytes;
import io.darkroom.provider.RetryAfter;
import io.darkroom.ticket.Ticket;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Atlas Cloud's unified media API (docs/providers.md): a flat JSON submit to
 * /model/generateImage, a prediction id at data.id, polling at data.urls.get, outputs in
 * data.outputs. Field names differ per model; where references go comes from config/models.yaml.
 */
public class AtlasMapping implements ProviderMapping {

    static final Set<String> IN_PROGRESS = Set.of("created", "starting", "queued", "pending", "processing", "running");
    static final Set<String> SUCCEEDED = Set.of("completed", "succeeded");
    static final Set<String> FAILED = Set.of("failed", "timeout", "canceled", "cancelled", "error");
    /** Atlas' platform code for an input refused by content moderation. */
    static final int MODERATION_CODE = 1039;
    /** Right after submit the prediction may not be visible yet (Atlas' own client waits 30 s). */
    static final long NOT_FOUND_GRACE_MILLIS = 30_000;

    private final ObjectMapper json = Json.MAPPER;
    private final ModelCatalog catalog;
    private final long uploadAboveBytes;
    private final Clock clock = Clock.systemUTC();

    /** Built by Darkroom when it finds this provider on the class path. */
    public AtlasMapping(ProviderContext context) {
        this(context.catalog(), context.number("darkroom.providers.atlas.upload-above-bytes"));
    }

    /** References larger than uploadAboveBytes go through /model/uploadMedia; smaller ones inline. */
    public AtlasMapping(ModelCatalog catalog, long uploadAboveBytes) {
        this.catalog = catalog;
        this.uploadAboveBytes = uploadAboveBytes;
    }

    @Override
    public boolean wantsUpload(Reference reference) {
        return reference.getSizeBytes() > uploadAboveBytes;
    }

    @Override
    public HttpCall upload(Reference reference, ProviderSettings settings) {
        // streamed from the file as it is sent: these are the references too large to send inline
        HttpEntity body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED).setCharset(StandardCharsets.UTF_8)
                .addBinaryBody("file", ReferenceBytes.file(reference), ContentType.create(reference.getMimeType()), reference.getName())
                .build();
        return HttpCall.post(settings.getBaseUrl() + "/model/uploadMedia", body)
                .header("Authorization", "Bearer " + settings.apiKey());
    }

    @Override
    public String readUpload(Reference reference, HttpReply reply) {
        if (reply.status() == 200) {
            String url = tryParse(reply).path("data").path("download_url").asText("");
            if (url.isEmpty()) {
                throw new JobFailure(ErrorCode.PROVIDER_PROTOCOL, "Atlas Cloud accepted the upload of " + reference.getName()
                        + " but returned no data.download_url.");
            }
            return url;
        }
        if (reply.status() == 429 || reply.status() >= 500) {
            return null;
        }
        throw new JobFailure(errorFor(reply.status()), "Atlas Cloud refused the upload of " + reference.getName() + " with HTTP "
                + reply.status() + ": " + message(reply) + ".");
    }

    @Override
    public String name() {
        return "atlas";
    }

    @Override
    public boolean servesWholeCatalog() {
        return true;
    }

    @Override
    public HttpCall submit(Job job, ProviderSettings settings) {
        ModelSpec model = catalog.find(job.getPlan().getModel());
        ModelSpec.ProviderModel atlas = model.getProviders().get("atlas");
        Ticket ticket = job.getTicket();
        ObjectNode body = json.createObjectNode();
        body.put("model", atlas.getModel());
        body.put("prompt", promptWithText(ticket));
        AtlasSizes.apply(body, atlas.getModel(), ticket);
        if (ticket.getOutputFormat() != null && !ticket.getOutputFormat().equals("webp")) {
            body.put("output_format", ticket.getOutputFormat().equals("jpg") ? "jpeg" : ticket.getOutputFormat());
        }
        if (ticket.getSeed() != null) {
            body.put("seed", ticket.getSeed());
        }
        if (ticket.variantCount() > 1) {
            body.put("num_images", ticket.variantCount());
        }
        body.put("enable_base64_output", false);
        try {
            byte[] request = switch (atlas.getReferenceField()) {
                case "images" -> withReferences(json.writeValueAsBytes(body), "images", true, job.getReferences());
                case "image" -> withReferences(json.writeValueAsBytes(body), "image", false, job.getReferences().subList(0, 1));
                default -> json.writeValueAsBytes(body);
            };
            return HttpCall.post(settings.getBaseUrl() + "/model/generateImage", "application/json", request)
                    .header("Authorization", "Bearer " + settings.apiKey())
                    .header("Idempotency-Key", job.getId());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds the references to a serialized JSON object, as one string or an array of them: the URL
     * of an uploaded reference, else a data URI. A data URI goes into the request bytes straight
     * from the file: built as a JSON string it would be copied and escape-checked character by
     * character, at several times the image's size.
     */
    private byte[] withReferences(byte[] object, String field, boolean array, List<Reference> references) throws IOException {
        long size = object.length + field.length() + 8;
        for (Reference reference : references) {
            size += (reference.getUploadedUrl() != null ? reference.getUploadedUrl().length() : ReferenceBytes.dataUriLength(reference)) + 3;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size));
        out.write(object, 0, object.length - 1); // all but the closing brace
        out.write((",\"" + field + "\":" + (array ? "[" : "")).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < references.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Reference reference = references.get(i);
            if (reference.getUploadedUrl() != null) {
                out.write(json.writeValueAsBytes(reference.getUploadedUrl()));
            } else {
                out.write('"');
                ReferenceBytes.writeDataUri(reference, out);
                out.write('"');
            }
        }
        out.write((array ? "]}" : "}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static String promptWithText(Ticket ticket) {
        if (ticket.getText() == null || ticket.getPrompt().contains(ticket.getText())) {
            return ticket.getPrompt();
        }
        return ticket.getPrompt() + " Render this exact text: \"" + ticket.getText() + "\".";
    }

    @Override
    public ProviderStep readSubmit(Job job, HttpReply reply) {
        int status = reply.status();
        if (status == 200) {
            JsonNode data = envelope(reply).path("data");
            String id = data.path("id").asText(null);
            if (id == null || id.isEmpty()) {
                return protocol("the submit answer has no data.id: " + reply.snippet());
            }
            ProviderStep finished = classify(job, data);
            if (finished.kind() == ProviderStep.Kind.SUCCEEDED || finished.kind() == ProviderStep.Kind.FAILED) {
                return finished.kind() == ProviderStep.Kind.SUCCEEDED
                        ? ProviderStep.succeeded(id, finished.outputs(), finished.costUsd()) : finished;
            }
            String pollUrl = data.path("urls").path("get").asText(null);
            return ProviderStep.inProgress(id, pollUrl != null && !pollUrl.isEmpty() ? pollUrl : null);
        }
        if (status == 429) {
            // rate limited before acceptance: nothing was created or billed, so sending again is safe
            return ProviderStep.retry(RetryAfter.millis(reply.header("Retry-After"), clock), "429 rate limited");
        }
        if (status >= 500) {
            JsonNode data = tryParse(reply).path("data");
            if ("failed".equals(data.path("status").asText())) {
                return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud failed the job: " + data.path("error").asText("no reason given") + ".");
            }
            return ProviderStep.failed(ErrorCode.SUBMIT_UNKNOWN, "Atlas Cloud answered HTTP " + status + " to the submit (" + message(reply)
                    + "); the job may have been created and billed, so it was not sent again.");
        }
        return ProviderStep.failed(errorFor(status), "Atlas Cloud refused the submit with HTTP " + status + ": " + message(reply) + ".");
    }

    @Override
    public HttpCall poll(Job job, ProviderSettings settings) {
        String url = job.getPollUrl() != null ? job.getPollUrl() : settings.getBaseUrl() + "/model/prediction/" + job.getProviderJobId();
        return HttpCall.get(url).header("Authorization", "Bearer " + settings.apiKey());
    }

    @Override
    public ProviderStep readPoll(Job job, HttpReply reply) {
        int status = reply.status();
        Long retryAfter = RetryAfter.millis(reply.header("Retry-After"), clock);
        if (status == 200) {
            JsonNode root = tryParse(reply);
            if (root.isMissingNode()) {
                return protocol("the status answer is not JSON: " + reply.snippet());
            }
            return classify(job, root.path("data"));
        }
        if (status == 404 || status == 400) {
            long sinceSubmit = job.getSubmittedAt() == null ? 0 : clock.millis() - Instant.parse(job.getSubmittedAt()).toEpochMilli();
            if (sinceSubmit < NOT_FOUND_GRACE_MILLIS) {
                return ProviderStep.retry(retryAfter, "prediction not visible yet (HTTP " + status + ")");
            }
            return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud no longer knows prediction " + job.getProviderJobId()
                    + " (HTTP " + status + ": " + message(reply) + ").");
        }
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            return ProviderStep.retry(retryAfter, "HTTP " + status);
        }
        if (status >= 500) {
            // Atlas can report a failed prediction as a 5xx whose body says so: that is final
            JsonNode data = tryParse(reply).path("data");
            if ("failed".equals(data.path("status").asText())) {
                return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud failed the job: " + data.path("error").asText("no reason given") + ".");
            }
            return ProviderStep.retry(retryAfter, "HTTP " + status);
        }
        return ProviderStep.failed(errorFor(status), "Atlas Cloud refused the status request with HTTP " + status + ": " + message(reply) + ".");
    }

    /** The one place Atlas status strings are read. */
    private ProviderStep classify(Job job, JsonNode data) {
        String status = data.path("status").asText("").toLowerCase();
        if (IN_PROGRESS.contains(status)) {
            return ProviderStep.inProgress(null, null);
        }
        if (SUCCEEDED.contains(status)) {
            List<String> outputs = new ArrayList<>();
            data.path("outputs").forEach(o -> outputs.add(o.asText()));
            JsonNode cost = data.path("metrics").path("cost");
            return ProviderStep.succeeded(data.path("id").asText(job.getProviderJobId()), outputs, cost.isNumber() ? cost.asDouble() : null);
        }
        if (FAILED.contains(status)) {
            String error = data.path("error").asText("");
            if (data.path("error_code").asInt(0) == MODERATION_CODE) {
                return ProviderStep.failed(ErrorCode.MODERATED, "Atlas Cloud's content moderation refused the job (error_code 1039"
                        + (error.isEmpty() ? "" : ": " + error) + ").");
            }
            return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud reports the job " + status
                    + (error.isEmpty() ? "" : ": " + error) + ".");
        }
        return protocol("the job has status '" + status + "', which Darkroom does not know; it is treated as a failure");
    }

    private static ErrorCode errorFor(int status) {
        return switch (status) {
            case 401, 403 -> ErrorCode.AUTH_FAILED;
            case 402 -> ErrorCode.OUT_OF_CREDIT;
            default -> ErrorCode.PROVIDER_REJECTED;
        };
    }

    private static ProviderStep protocol(String what) {
        return ProviderStep.failed(ErrorCode.PROVIDER_PROTOCOL, "Atlas Cloud: " + what + ".");
    }

    private JsonNode envelope(HttpReply reply) {
        return tryParse(reply);
    }

    private JsonNode tryParse(HttpReply reply) {
        try {
            JsonNode node = json.readTree(reply.body());
            return node == null ? json.missingNode() : node;
        } catch (IOException e) {
            return json.missingNode();
        }
    }

    private String message(HttpReply reply) {
        JsonNode root = tryParse(reply);
        String text = root.path("msg").asText(root.path("message").asText(""));
        return text.isEmpty() ? reply.snippet() : text;
    }
}
