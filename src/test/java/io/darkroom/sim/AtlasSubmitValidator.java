package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a flat {@code generateImage} body against the model's fields, as Atlas does before it
 * creates (and bills) a job. Field names and limits come from providers.md section 1.2; per-model
 * options are only checked where that section gives their allowed values.
 */
final class AtlasSubmitValidator {

    /** How a model takes reference images: field name and count, or none for text-only models. */
    private record ImageInput(String field, boolean array, int max) {
        static final ImageInput NONE = new ImageInput(null, false, 0);
    }

    private static final Map<String, ImageInput> MODELS = Map.of(
            "google/nano-banana-2/edit", new ImageInput("images", true, 14),
            "black-forest-labs/flux-2-pro/edit", new ImageInput("images", true, 8),
            "openai/gpt-image-2/edit", new ImageInput("images", true, 10),
            "openai/gpt-image-2-developer/edit", new ImageInput("images", true, 10),
            "bytedance/seedream-v5.0-lite/edit", new ImageInput("image", false, 1),
            "google/imagen-4-ultra", ImageInput.NONE,
            "z-image/turbo", ImageInput.NONE);

    private static final Set<String> NANO_ASPECT_RATIOS =
            Set.of("1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9");
    private static final Set<String> NANO_RESOLUTIONS = Set.of("1k", "2k", "4k");
    private static final Set<String> PNG_OR_JPEG = Set.of("png", "jpeg");
    private static final Pattern DATA_URI = Pattern.compile("^data:image/[A-Za-z0-9.+-]+;base64,(.*)$", Pattern.DOTALL);
    private static final Pattern STAR_SIZE = Pattern.compile("^(\\d{1,5})\\*(\\d{1,5})$");
    private static final int MAX_OUTPUTS = 16;

    static boolean isKnownModel(String model) {
        return MODELS.containsKey(model);
    }

    void validate(JsonNode body) throws RejectedRequest {
        if (body == null || !body.isObject()) {
            throw new RejectedRequest(400, "request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new RejectedRequest(400, "model is required");
        }
        ImageInput input = MODELS.get(model.asText());
        if (input == null) {
            throw new RejectedRequest(404, "model not found: " + model.asText());
        }
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new RejectedRequest(400, "prompt is required and must be a non-empty string");
        }
        checkImages(model.asText(), input, body);
        checkBoolean(body, "enable_sync_mode");
        checkBoolean(body, "enable_base64_output");
        checkOutputCount(body);
        checkWebhook(body);
        switch (model.asText()) {
            case "google/nano-banana-2/edit" -> {
                checkOneOf(body, "aspect_ratio", NANO_ASPECT_RATIOS);
                checkOneOf(body, "resolution", NANO_RESOLUTIONS);
                checkOneOf(body, "output_format", PNG_OR_JPEG);
            }
            case "black-forest-labs/flux-2-pro/edit" -> {
                checkStarSize(body, 256, 2048);
                checkOneOf(body, "output_format", PNG_OR_JPEG);
                checkIntRange(body, "safety_tolerance", 0, 5);
            }
            // providers.md marks seedream's 1024-4096 limit as possibly stale: check the form only.
            case "bytedance/seedream-v5.0-lite/edit" -> checkStarSize(body, 1, Integer.MAX_VALUE);
            default -> {
                // no documented option values for the other models
            }
        }
    }

    private static void checkImages(String model, ImageInput input, JsonNode body) throws RejectedRequest {
        JsonNode images = body.get("images");
        JsonNode image = body.get("image");
        if (input.field() == null) {
            if (images != null || image != null) {
                throw new RejectedRequest(400, model + " is text-to-image and takes no image or images field");
            }
            return;
        }
        if (input.array()) {
            if (image != null) {
                throw new RejectedRequest(400, model + " takes reference images in 'images' (array), not 'image'");
            }
            if (images == null || !images.isArray()) {
                throw new RejectedRequest(400, "images is required and must be an array of strings");
            }
            if (images.size() < 1 || images.size() > input.max()) {
                throw new RejectedRequest(400, "images must hold 1 to " + input.max() + " items for " + model
                        + ", got " + images.size());
            }
            for (int i = 0; i < images.size(); i++) {
                checkImageString(images.get(i), "images[" + i + "]");
            }
        } else {
            if (images != null) {
                throw new RejectedRequest(400, model + " takes one reference image in 'image' (string), not 'images'");
            }
            if (image == null) {
                throw new RejectedRequest(400, "image is required");
            }
            checkImageString(image, "image");
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

    private static void checkBoolean(JsonNode body, String field) throws RejectedRequest {
        JsonNode value = body.get(field);
        if (value != null && !value.isBoolean()) {
            throw new RejectedRequest(400, field + " must be a boolean");
        }
    }

    private static void checkOutputCount(JsonNode body) throws RejectedRequest {
        JsonNode n = body.get("num_images");
        if (n != null && (!n.canConvertToExactIntegral() || n.asInt() < 1 || n.asInt() > MAX_OUTPUTS)) {
            throw new RejectedRequest(400, "num_images must be an integer from 1 to " + MAX_OUTPUTS);
        }
    }

    private static void checkOneOf(JsonNode body, String field, Set<String> allowed) throws RejectedRequest {
        JsonNode value = body.get(field);
        if (value != null && (!value.isTextual() || !allowed.contains(value.asText()))) {
            throw new RejectedRequest(400, field + " must be one of " + allowed + ", got " + value);
        }
    }

    private static void checkIntRange(JsonNode body, String field, int min, int max) throws RejectedRequest {
        JsonNode value = body.get(field);
        if (value != null && (!value.canConvertToExactIntegral() || value.asInt() < min || value.asInt() > max)) {
            throw new RejectedRequest(400, field + " must be an integer from " + min + " to " + max);
        }
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
