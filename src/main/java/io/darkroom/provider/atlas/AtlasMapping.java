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
import io.darkroom.provider.ProviderCallsKey;
import io.darkroom.provider.ProviderContext;
import io.darkroom.provider.ProviderMapping;
import io.darkroom.provider.ProviderSettings;
import io.darkroom.provider.ProviderStep;
import io.darkroom.provider.ReferenceBytes;
import io.darkroom.provider.RetryAfter;
import io.darkroom.provider.schema.ModelSchemas;
import io.darkroom.provider.schema.SchemaCheck;
import io.darkroom.ticket.Ticket;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Atlas Cloud's unified media API (docs/providers.md, "Atlas Cloud"): a flat JSON submit to
 * /model/generateImage, a prediction id at data.id, polling at data.urls.get, outputs in
 * data.outputs. Field names differ per model; where references go comes from config/models.yaml.
 */
public class AtlasMapping implements ProviderMapping {

    static final Set<String> IN_PROGRESS = Set.of("created", "starting", "queued", "pending", "processing", "running");
    static final Set<String> SUCCEEDED = Set.of("completed", "succeeded", "success");
    static final Set<String> FAILED = Set.of("failed", "timeout", "canceled", "cancelled", "error");
    /** Atlas' platform code for an input refused by content moderation. */
    static final int MODERATION_CODE = 1039;
    /** Right after submit the prediction may not be visible yet (Atlas' own client waits 30 s). */
    static final long NOT_FOUND_GRACE_MILLIS = 30_000;
    /** How many recent predictions a lost submit is searched among, and how much clock skew is allowed. */
    static final int HISTORY_PAGE = 50;
    static final long HISTORY_CLOCK_SKEW_MILLIS = 120_000;

    private final ObjectMapper json = Json.MAPPER;
    private final ModelCatalog catalog;
    private final long uploadAboveBytes;
    private final ModelSchemas schemas;
    private final Clock clock = Clock.systemUTC();

    /**
     * Built by Darkroom when it finds this provider on the class path. With a key set, the model
     * schemas are read at once, so drift shows in the log before the first job.
     */
    public AtlasMapping(ProviderContext context) {
        this(context.catalog(), context.number("darkroom.providers.atlas.upload-above-bytes"),
                AtlasSchemaSource.schemas(context.catalog(), context.text("darkroom.providers.atlas.base-url", null),
                        java.nio.file.Path.of(context.text("darkroom.data", "data")).toAbsolutePath(),
                        org.apache.camel.util.TimeUtils.toMilliSeconds(context.text("darkroom.providers.atlas.schema-ttl", "6h")), Clock.systemUTC()));
        if (!context.text("darkroom.providers.atlas.api-key", "").isEmpty()) {
            schemas.origin();
        }
    }

    /** References larger than uploadAboveBytes go through /model/uploadMedia; smaller ones inline. */
    public AtlasMapping(ModelCatalog catalog, long uploadAboveBytes) {
        this(catalog, uploadAboveBytes, null);
    }

    /** With schemas, every request is checked against its model's schema before it is sent. */
    public AtlasMapping(ModelCatalog catalog, long uploadAboveBytes, ModelSchemas schemas) {
        this.catalog = catalog;
        this.uploadAboveBytes = uploadAboveBytes;
        this.schemas = schemas;
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
        ModelSpec.ProviderModel spec = spec(job);
        JsonNode schema = schemas == null ? null : schemas.input(spec.getModel());
        AtlasRequest.Built built = AtlasRequest.build(job, spec, schema, json);
        job.setRequest(built.request());
        job.setOutputsAsked(job.getTicket().variantCount());
        if (schema != null) {
            List<String> violations = SchemaCheck.violations(AtlasRequest.forSchemaCheck(built, job.getReferences().size(), json), schema);
            if (!violations.isEmpty()) {
                throw new JobFailure(ErrorCode.MODEL_SCHEMA, "The request for " + spec.getModel() + " does not fit Atlas Cloud's schema of the model ("
                        + schemas.origin().name().toLowerCase() + "): " + String.join("; ", violations) + ". Nothing was sent or billed.");
            }
        }
        try {
            byte[] body = json.writeValueAsBytes(built.body());
            HttpCall call = built.referenceField() == null
                    ? HttpCall.post(settings.getBaseUrl() + "/model/generateImage", "application/json", body)
                    : HttpCall.post(settings.getBaseUrl() + "/model/generateImage", new JsonWithReferences(body, built.referenceField(),
                            built.referenceArray(), built.referenceArray() ? job.getReferences() : job.getReferences().subList(0, 1), json));
            return call.header("Authorization", "Bearer " + settings.apiKey())
                    .header("Idempotency-Key", ProviderCallsKey.of(job));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int callsFor(Job job) {
        return AtlasRequest.calls(job.getTicket().variantCount(), spec(job).getOutputs());
    }

    /** The catalog entry of the job's model at Atlas, the variants model included. */
    private ModelSpec.ProviderModel spec(Job job) {
        ModelSpec model = catalog.find(job.getPlan().getModel());
        ModelSpec.ProviderModel spec = model == null ? null : model.providerModel(name(), job.getPlan().getProviderModel());
        if (spec == null) {
            throw new JobFailure(ErrorCode.MODEL_UNKNOWN, "Model '" + job.getPlan().getModel() + "' has no Atlas Cloud entry in config/models.yaml.");
        }
        return spec;
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
                return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud failed the job: " + errorText(data).orElse("no reason given") + ".");
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
                return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud failed the job: " + errorText(data).orElse("no reason given") + ".");
            }
            return ProviderStep.retry(retryAfter, "HTTP " + status);
        }
        return ProviderStep.failed(errorFor(status), "Atlas Cloud refused the status request with HTTP " + status + ": " + message(reply) + ".");
    }

    /** Atlas' prediction history, newest first, of the job's model (as Atlas' MCP server reads it). */
    @Override
    public HttpCall findLostSubmit(Job job, ProviderSettings settings) {
        String model = java.net.URLEncoder.encode(job.getPlan().getProviderModel(), StandardCharsets.UTF_8);
        return HttpCall.get(settings.getBaseUrl() + "/model/history?no=1&size=" + HISTORY_PAGE + "&model=" + model)
                .header("Authorization", "Bearer " + settings.apiKey());
    }

    /**
     * The one prediction of the job's model created since its submit started (less a margin for
     * clock skew) whose request carried the job's prompt; null when none or several match.
     */
    @Override
    public String readLostSubmit(Job job, HttpReply reply) {
        if (reply.status() != 200) {
            return null;
        }
        long since = job.getSubmittedAt() == null ? 0 : Instant.parse(job.getSubmittedAt()).toEpochMilli() - HISTORY_CLOCK_SKEW_MILLIS;
        String prompt = promptWithText(job.getTicket());
        List<String> matches = new ArrayList<>();
        for (JsonNode item : tryParse(reply).path("data").path("items")) {
            JsonNode request = item.path("requestBody");
            if (request.isTextual()) {
                try {
                    request = json.readTree(request.asText());
                } catch (IOException e) {
                    continue;
                }
            }
            long created = epochMillis(item.path("createdAt"));
            if (job.getPlan().getProviderModel().equals(item.path("model").asText()) && prompt.equals(request.path("prompt").asText())
                    && created >= since && !item.path("ID").asText("").isEmpty()) {
                matches.add(item.path("ID").asText());
            }
        }
        return matches.size() == 1 ? matches.get(0) : null;
    }

    /** History times come as seconds (a string or a number), milliseconds, or ISO text. */
    private static long epochMillis(JsonNode value) {
        String text = value.asText("").trim();
        if (text.matches("[0-9]+")) {
            long number = Long.parseLong(text);
            return number < 1_000_000_000_000L ? number * 1000 : number;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The one place Atlas status strings are read. */
    private ProviderStep classify(Job job, JsonNode data) {
        String status = data.path("status").asText("").toLowerCase();
        if (IN_PROGRESS.contains(status)) {
            return ProviderStep.inProgress(null, null);
        }
        if (SUCCEEDED.contains(status)) {
            List<String> outputs = outputs(data);
            if (outputs.isEmpty() && flagged(data.path("has_nsfw_contents"))) {
                // the safety filter removed the images: a moderation outcome, not a protocol error
                return ProviderStep.failed(ErrorCode.MODERATED, "Atlas Cloud's safety filter withheld every output (has_nsfw_contents)"
                        + errorText(data).map(e -> ": " + e).orElse("") + ".");
            }
            JsonNode price = data.path("price");
            Double cost = price.isNumber() ? Double.valueOf(price.asDouble())
                    : price.isTextual() && price.asText().matches("[0-9]+(\\.[0-9]+)?") ? Double.valueOf(price.asText()) : null;
            return ProviderStep.succeeded(data.path("id").asText(job.getProviderJobId()), outputs, cost);
        }
        if (FAILED.contains(status)) {
            String error = errorText(data).orElse("");
            if (data.path("error_code").asInt(0) == MODERATION_CODE) {
                return ProviderStep.failed(ErrorCode.MODERATED, "Atlas Cloud's content moderation refused the job (error_code 1039"
                        + (error.isEmpty() ? "" : ": " + error) + ").");
            }
            return ProviderStep.failed(ErrorCode.PROVIDER_FAILED, "Atlas Cloud reports the job " + status
                    + (error.isEmpty() ? "" : ": " + error) + ".");
        }
        return protocol("the job has status '" + status + "', which Darkroom does not know; it is treated as a failure");
    }

    /** Outputs as Atlas' clients read them: data.outputs or data.output, strings or objects with url / image / output. */
    static List<String> outputs(JsonNode data) {
        List<String> outputs = new ArrayList<>();
        for (String field : List.of("outputs", "output")) {
            JsonNode node = data.path(field);
            if (node.isArray()) {
                node.forEach(item -> addOutput(item, outputs));
            } else {
                addOutput(node, outputs);
            }
            if (!outputs.isEmpty()) {
                break;
            }
        }
        return outputs;
    }

    private static void addOutput(JsonNode item, List<String> outputs) {
        if (item.isTextual() && !item.asText().isEmpty()) {
            outputs.add(item.asText());
        } else if (item.isObject()) {
            for (String key : List.of("url", "image", "output")) {
                if (item.path(key).isTextual() && !item.path(key).asText().isEmpty()) {
                    outputs.add(item.path(key).asText());
                    return;
                }
            }
        }
    }

    /** has_nsfw_contents is a list of flags, one per output, or a single flag. */
    private static boolean flagged(JsonNode nsfw) {
        if (nsfw.isBoolean()) {
            return nsfw.asBoolean();
        }
        for (JsonNode flag : nsfw) {
            if (flag.asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** error as a string, or an object carrying message (Atlas' MCP server reads both). */
    static java.util.Optional<String> errorText(JsonNode data) {
        JsonNode error = data.path("error");
        String text = error.isObject() ? error.path("message").asText(error.path("msg").asText(error.toString())) : error.asText("");
        return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text);
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
