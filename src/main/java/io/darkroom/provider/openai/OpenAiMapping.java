package io.darkroom.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.Json;
import io.darkroom.job.Reference;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's synchronous images/edits (docs/providers.md): multipart with repeated image[]
 * parts, base64 results in data[].b64_json, and the cost worked out from the reported token usage.
 */
public class OpenAiMapping implements ProviderMapping {

    /** gpt-image-2 token prices, USD per million tokens (docs/providers.md). */
    static final double TEXT_IN = 5.0;
    static final double IMAGE_IN = 8.0;
    static final double IMAGE_OUT = 30.0;

    private final ObjectMapper json = Json.MAPPER;
    private final Clock clock = Clock.systemUTC();
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
    private final String quality;

    /** Built by Darkroom when it finds this provider on the class path. */
    public OpenAiMapping(ProviderContext context) {
        this(context.text("darkroom.providers.openai.quality", "auto"));
    }

    public OpenAiMapping(String quality) {
        this.quality = quality == null || quality.isBlank() ? "auto" : quality;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public HttpCall submit(Job job, ProviderSettings settings) {
        Ticket ticket = job.getTicket();
        // the reference files are streamed into the request as it is sent, never held in memory
        MultipartEntityBuilder body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED).setCharset(StandardCharsets.UTF_8)
                .addTextBody("model", job.getPlan().getProviderModel(), TEXT)
                .addTextBody("prompt", ticket.getText() == null || ticket.getPrompt().contains(ticket.getText()) ? ticket.getPrompt()
                        : ticket.getPrompt() + " Render this exact text: \"" + ticket.getText() + "\".", TEXT)
                .addTextBody("n", String.valueOf(ticket.variantCount()), TEXT)
                .addTextBody("quality", quality, TEXT);
        for (Reference reference : job.getReferences()) {
            body.addBinaryBody("image[]", ReferenceBytes.file(reference), ContentType.create(reference.getMimeType()), reference.getName());
        }
        String size = size(ticket);
        if (size != null) {
            body.addTextBody("size", size, TEXT);
        }
        if (ticket.getOutputFormat() != null) {
            body.addTextBody("output_format", ticket.getOutputFormat().equals("jpg") ? "jpeg" : ticket.getOutputFormat(), TEXT);
        }
        return HttpCall.post(settings.getBaseUrl() + "/images/edits", body.build())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Idempotency-Key", job.getId());
    }

    /** gpt-image-2 takes any WxH with sides divisible by 16; an aspect ratio picks the nearest standard size. */
    static String size(Ticket ticket) {
        if (ticket.getSize() != null) {
            String[] parts = ticket.getSize().split("x");
            return roundTo16(Integer.parseInt(parts[0])) + "x" + roundTo16(Integer.parseInt(parts[1]));
        }
        if (ticket.getAspectRatio() != null) {
            String[] parts = ticket.getAspectRatio().split(":");
            double ratio = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
            return ratio > 1.2 ? "1536x1024" : ratio < 0.83 ? "1024x1536" : "1024x1024";
        }
        return null;
    }

    private static int roundTo16(int side) {
        return Math.max(16, Math.round(side / 16f) * 16);
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
        if (status == 429 && code.equals("insufficient_quota")) {
            return ProviderStep.failed(ErrorCode.OUT_OF_CREDIT, "OpenAI: " + message);
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
