package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a flat {@code generateImage} body against the model's input schema, as a
 * schema-validating gateway does before it creates (and bills) a job: a field the schema does not
 * list, a wrong type, a value outside an enum or range, a list too long or short, a missing
 * required field: each is a 400 naming the field. Then what a schema cannot say: references must be
 * URLs or data URIs, "W*H" sides within the model's range, webhook URLs public. The schemas are
 * {@link AtlasModelSchemas}, written from docs/providers.md; the simulator may change them (drift).
 */
final class AtlasSubmitValidator {

    private static final Pattern DATA_URI = Pattern.compile("^data:image/[A-Za-z0-9.+-]+;base64,(.*)$", Pattern.DOTALL);
    private static final Pattern STAR_SIZE = Pattern.compile("^(\\d{1,5})\\*(\\d{1,5})$");
    private static final Pattern X_SIZE = Pattern.compile("^(\\d{1,5})x(\\d{1,5})$");
    private static final Set<String> GPT_RATIOS = Set.of("1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "9:21");

    private final Map<String, AtlasModelSchemas.Rules> models;

    AtlasSubmitValidator(Map<String, AtlasModelSchemas.Rules> models) {
        this.models = models;
    }

    void validate(JsonNode body) throws RejectedRequest {
        if (body == null || !body.isObject()) {
            throw new RejectedRequest(400, "request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new RejectedRequest(400, "model is required");
        }
        AtlasModelSchemas.Rules rules = models.get(model.asText());
        if (rules == null) {
            throw new RejectedRequest(404, "model not found: " + model.asText());
        }
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new RejectedRequest(400, "prompt is required and must be a non-empty string");
        }
        JsonNode properties = rules.input().path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties.get(field.getKey());
            String alsoType = rules.alsoAccepted().get(field.getKey());
            if (property == null && alsoType != null) {
                property = JsonNodeFactory.instance.objectNode().put("type", alsoType);
            }
            if (property == null) {
                throw new RejectedRequest(400, "unknown field '" + field.getKey() + "' for " + model.asText());
            }
            checkValue(field.getKey(), field.getValue(), property);
        }
        for (JsonNode required : rules.input().path("required")) {
            String name = required.asText();
            boolean alternative = rules.alsoAccepted().keySet().stream().anyMatch(body::has);
            if (!body.has(name) && !alternative) {
                throw new RejectedRequest(400, name + " is required");
            }
        }
        if (body.has("images") && body.has("image")) {
            throw new RejectedRequest(400, "send reference images in 'images' or 'image', not both");
        }
        if (body.path("images").isArray()) {
            for (int i = 0; i < body.get("images").size(); i++) {
                checkImageString(body.get("images").get(i), "images[" + i + "]");
            }
        }
        if (body.has("image")) {
            checkImageString(body.get("image"), "image");
        }
        checkSize(rules, body);
        checkWebhook(body);
    }

    private static void checkValue(String name, JsonNode value, JsonNode property) throws RejectedRequest {
        String type = property.path("type").asText("");
        boolean typeOk = switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.canConvertToExactIntegral() && value.isNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            default -> true;
        };
        if (!typeOk) {
            throw new RejectedRequest(400, name + " must be of type " + type + ", got " + value);
        }
        JsonNode allowed = property.get("enum");
        if (allowed != null) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.asText().equals(value.asText());
            }
            if (!found) {
                throw new RejectedRequest(400, name + " must be one of " + allowed + ", got " + value);
            }
        }
        if (value.isNumber() && (property.has("minimum") && value.asDouble() < property.get("minimum").asDouble()
                || property.has("maximum") && value.asDouble() > property.get("maximum").asDouble())) {
            throw new RejectedRequest(400, name + " must be from " + property.path("minimum") + " to " + property.path("maximum") + ", got " + value);
        }
        if (value.isArray()) {
            if (property.has("minItems") && value.size() < property.get("minItems").asInt()
                    || property.has("maxItems") && value.size() > property.get("maxItems").asInt()) {
                throw new RejectedRequest(400, name + " must hold " + property.path("minItems").asInt(0) + " to "
                        + property.path("maxItems") + " items, got " + value.size());
            }
            JsonNode items = property.get("items");
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    checkValue(name + "[" + i + "]", value.get(i), items);
                }
            }
        }
    }

    private static void checkSize(AtlasModelSchemas.Rules rules, JsonNode body) throws RejectedRequest {
        JsonNode value = body.get("size");
        if (value == null) {
            return;
        }
        switch (rules.size()) {
            case SIDES -> checkStarSize(body, rules.minSide(), rules.maxSide());
            case WXH_OR_RATIO -> {
                if (GPT_RATIOS.contains(value.asText())) {
                    return;
                }
                Matcher m = X_SIZE.matcher(value.asText());
                if (!m.matches()) {
                    throw new RejectedRequest(400, "size must be WIDTHxHEIGHT or an aspect ratio, got " + value);
                }
                long w = Long.parseLong(m.group(1));
                long h = Long.parseLong(m.group(2));
                // GPT Image 2's limits (docs/providers.md, "OpenAI")
                if (w % 16 != 0 || h % 16 != 0 || w * h < 655_360 || w * h > 8_294_400 || Math.max(w, h) > 3840
                        || Math.max(w, h) > 3 * Math.min(w, h)) {
                    throw new RejectedRequest(400, "size " + value.asText() + " is outside GPT Image 2's limits (sides multiples of 16, "
                            + "655,360 to 8,294,400 pixels, long side at most 3840, ratio at most 3:1)");
                }
            }
            case SCHEMA_ONLY -> {
                // the schema's enum (if any) was checked with the other fields
            }
        }
    }

    private static void checkImageString(JsonNode node, String where) throws RejectedRequest {
        if (!node.isTextual()) {
            throw new RejectedRequest(400, where + " must be a string (URL or base64 data URI)");
        }
        String value = node.asText();
        Matcher data = DATA_URI.matcher(value);
        if (data.matches()) {
            try {
                if (Base64.getMimeDecoder().decode(data.group(1)).length == 0) {
                    throw new RejectedRequest(400, where + " is an empty data URI");
                }
            } catch (IllegalArgumentException e) {
                throw new RejectedRequest(400, where + " is a data URI whose base64 does not decode");
            }
            return;
        }
        if (value.startsWith("http://") || value.startsWith("https://")) {
            try {
                URI uri = URI.create(value);
                if (uri.getHost() == null) {
                    throw new RejectedRequest(400, where + " is not a valid URL");
                }
            } catch (IllegalArgumentException e) {
                throw new RejectedRequest(400, where + " is not a valid URL");
            }
            return;
        }
        throw new RejectedRequest(400, where + " must be an http(s) URL or a data:image/...;base64, URI");
    }





    private static void checkStarSize(JsonNode body, int min, int max) throws RejectedRequest {
        JsonNode value = body.get("size");
        if (value == null) {
            return;
        }
        Matcher m = STAR_SIZE.matcher(value.isTextual() ? value.asText() : "");
        if (!m.matches()) {
            throw new RejectedRequest(400, "size must look like \"1024*1024\" (W*H), got " + value);
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w < min || w > max || h < min || h > max) {
            throw new RejectedRequest(400, "size sides must be from " + min + " to " + max + ", got " + value.asText());
        }
    }

    /** Atlas refuses webhook URLs that are not public https endpoints, before creating the job. */
    private static void checkWebhook(JsonNode body) throws RejectedRequest {
        JsonNode value = body.get("webhook_url");
        if (value == null || value.isNull()) {
            return;
        }
        String url = value.asText();
        if (!value.isTextual() || url.length() > 1024 || !url.startsWith("https://")) {
            throw new RejectedRequest(400, "invalid webhook_url: it must be an https URL of at most 1024 characters");
        }
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            throw new RejectedRequest(400, "invalid webhook_url: not a URL");
        }
        if (host == null || host.equalsIgnoreCase("localhost") || isPrivateLiteral(host)) {
            throw new RejectedRequest(400, "invalid webhook_url: the host must be publicly routable");
        }
    }

    private static boolean isPrivateLiteral(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false; // a name: not resolved here, so no DNS lookups from a test
        }
        try {
            InetAddress address = InetAddress.getByName(bare);
            byte[] b = address.getAddress();
            boolean carrierGradeNat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || carrierGradeNat;
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
