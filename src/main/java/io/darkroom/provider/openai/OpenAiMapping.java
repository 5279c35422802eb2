package io.darkroom.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.Json;
import io.darkroom.job.Reference;
import io.darkroom.job.JobFailure;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.ModelSpec;
import io.darkroom.provider.HttpCall;
import io.darkroom.provider.SizeFit;
import io.darkroom.provider.HttpReply;
import io.darkroom.provider.ProviderCallsKey;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's synchronous images/edits (docs/providers.md, "OpenAI"): multipart with repeated image[]
 * parts, base64 results in data[].b64_json, and the cost worked out from the reported token usage.
 */
public class OpenAiMapping implements ProviderMapping {

    /** gpt-image-2 token prices, USD per million tokens (docs/providers.md, "OpenAI"). */
    static final double TEXT_IN = 5.0;
    static final double IMAGE_IN = 8.0;
    static final double IMAGE_OUT = 30.0;

    private final ObjectMapper json = Json.MAPPER;
    private final Clock clock = Clock.systemUTC();
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
    private final String quality;
    private final ModelCatalog catalog;

    /** Built by Darkroom when it finds this provider on the class path. */
    public OpenAiMapping(ProviderContext context) {
        this(context.catalog(), context.text("darkroom.providers.openai.quality", "auto"));
    }

    public OpenAiMapping(ModelCatalog catalog, String quality) {
        this.catalog = catalog;
        this.quality = quality == null || quality.isBlank() ? "auto" : quality;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public HttpCall submit(Job job, ProviderSettings settings) {
        Ticket ticket = job.getTicket();
        ModelSpec.ProviderModel spec = spec(job);
        // the reference files are streamed into the request as it is sent, never held in memory
        MultipartEntityBuilder body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED).setCharset(StandardCharsets.UTF_8)
                .addTextBody("model", spec.getModel(), TEXT)
                .addTextBody("prompt", ticket.getText() == null || ticket.getPrompt().contains(ticket.getText()) ? ticket.getPrompt()
                        : ticket.getPrompt() + " Render this exact text: \"" + ticket.getText() + "\".", TEXT);
        Map<String, Object> asked = new LinkedHashMap<>();
        Map<String, Object> sent = new LinkedHashMap<>();
        int variants = ticket.variantCount();
        asked.put("outputs", variants);
        if (spec.getOutputs().getField() != null) {
            int left = variants - (job.getCallNumber() - 1) * spec.getOutputs().getMax();
            int n = Math.max(1, Math.min(left, spec.getOutputs().getMax()));
            body.addTextBody(spec.getOutputs().getField(), String.valueOf(n), TEXT);
            sent.put(spec.getOutputs().getField(), n);
        }
        if (spec.getOptions().getQuality() != null) {
            body.addTextBody(spec.getOptions().getQuality(), quality, TEXT);
            sent.put(spec.getOptions().getQuality(), quality);
        }
        for (Reference reference : job.getReferences()) {
            body.addBinaryBody(spec.getReferences().getField(), ReferenceBytes.file(reference), ContentType.create(reference.getMimeType()),
                    reference.getName());
        }
        sent.put(spec.getReferences().getField(), job.getReferences().size() + " file part(s)");
        SizeFit.Fitted size = SizeFit.fit(ticket, spec.getSize());
        size.fields().forEach((field, value) -> {
            body.addTextBody(field, String.valueOf(value), TEXT);
            sent.put(field, value);
        });
        if (size.asked() != null) {
            asked.put("size", size.asked());
        }
        if (ticket.getOutputFormat() != null) {
            asked.put("outputFormat", ticket.getOutputFormat());
            String format = ticket.getOutputFormat().equals("jpg") ? "jpeg" : ticket.getOutputFormat();
            if (spec.getOptions().getOutputFormat() != null && spec.getOptions().getOutputFormats().contains(format)) {
                body.addTextBody(spec.getOptions().getOutputFormat(), format, TEXT);
                sent.put(spec.getOptions().getOutputFormat(), format);
            }
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("asked", asked);
        request.put("sent", sent);
        if (size.sent() != null) {
            request.put("size", size.asked() + " -> " + size.sent());
        }
        job.setRequest(request);
        job.setOutputsAsked(variants);
        return HttpCall.post(settings.getBaseUrl() + "/images/edits", body.build())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Idempotency-Key", ProviderCallsKey.of(job));
    }

    @Override
    public int callsFor(Job job) {
        ModelSpec.Outputs outputs = spec(job).getOutputs();
        int perCall = outputs.getField() == null ? 1 : Math.max(1, outputs.getMax());
        return Math.max(1, (job.getTicket().variantCount() + perCall - 1) / perCall);
    }

    private ModelSpec.ProviderModel spec(Job job) {
        ModelSpec model = catalog.find(job.getPlan().getModel());
        ModelSpec.ProviderModel spec = model == null ? null : model.providerModel(name(), job.getPlan().getProviderModel());
        if (spec == null) {
            throw new JobFailure(ErrorCode.MODEL_UNKNOWN, "Model '" + job.getPlan().getModel() + "' has no OpenAI entry in config/models.yaml.");
        }
        return spec;
    }

    @Override
    public ProviderStep readSubmit(Job job, HttpReply reply) {
        int status = reply.status();
        JsonNode root = parse(reply);
        if (status == 200) {
            List<String> outputs = new ArrayList<>();
            root.path("data").forEach(item -> {
                String b64 = item.path("b64_json").asText(null);
                if (b64 != null) {
                    outputs.add(b64);
                }
            });
            if (outputs.isEmpty()) {
                return ProviderStep.failed(ErrorCode.PROVIDER_PROTOCOL, "OpenAI answered 200 without images: " + reply.snippet());
            }
            return ProviderStep.succeeded(null, outputs, cost(root.path("usage")));
        }
        JsonNode error = root.path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").asText(reply.snippet());
        if (status == 400 && code.equals("moderation_blocked")) {
            return ProviderStep.failed(ErrorCode.MODERATED, "OpenAI's safety system refused the request: " + message);
        }
        if (status == 429 && code.equals("insufficient_quota") || code.equals("billing_hard_limit_reached")) {
            // billing_hard_limit_reached comes as a 400, but it is the account, not the request (docs/providers.md)
            return ProviderStep.failed(ErrorCode.OUT_OF_CREDIT, "OpenAI: " + message);
        }
        if (status == 403 && message.toLowerCase(java.util.Locale.ROOT).contains("organization must be verified")) {
            return ProviderStep.failed(ErrorCode.AUTH_FAILED, "OpenAI accepts the key, but its organization is not verified for "
                    + job.getPlan().getProviderModel() + " (" + message + "). Verify the organization in OpenAI's settings "
                    + "(Organization > General > Verify Organization), or route the text use case to Atlas Cloud.");
        }
        if (status == 429 || status == 503) {
            // refused before any work was done: safe to send again after a pause
            return ProviderStep.retry(RetryAfter.millis(reply.header("Retry-After"), clock), "HTTP " + status + " " + code);
        }
        if (status == 401 || status == 403) {
            return ProviderStep.failed(ErrorCode.AUTH_FAILED, "OpenAI refused the key (HTTP " + status + "): " + message);
        }
        if (status >= 500) {
            return ProviderStep.failed(ErrorCode.PROVIDER_UNAVAILABLE, "OpenAI failed the request with HTTP " + status + ": " + message
                    + " It was not sent again, since it may have been billed.");
        }
        return ProviderStep.failed(ErrorCode.PROVIDER_REJECTED, "OpenAI rejected the request (HTTP " + status + " " + code + "): " + message);
    }

    static Double cost(JsonNode usage) {
        if (usage.isMissingNode()) {
            return null;
        }
        double textIn = usage.path("input_tokens_details").path("text_tokens").asDouble(0);
        double imageIn = usage.path("input_tokens_details").path("image_tokens").asDouble(0);
        double out = usage.path("output_tokens").asDouble(0);
        return Math.round((textIn * TEXT_IN + imageIn * IMAGE_IN + out * IMAGE_OUT) / 1_000_000 * 10000) / 10000.0;
    }

    private JsonNode parse(HttpReply reply) {
        try {
            JsonNode node = json.readTree(reply.body());
            return node == null ? json.missingNode() : node;
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
