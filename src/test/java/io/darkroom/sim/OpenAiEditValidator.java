package io.darkroom.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a multipart {@code /v1/images/edits} request against docs/providers.md and fills in
 * the documented defaults. Every refusal is a 400 that names the offending parameter or part.
 */
final class OpenAiEditValidator {

    static final Set<String> MODELS = Set.of("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2",
            "gpt-image-2-2026-04-21", "chatgpt-image-latest", "dall-e-2");
    /** The model used when the request names none (docs/providers.md: gpt-image-1.5 is the documented default). */
    static final String DEFAULT_MODEL = "gpt-image-1.5";

    private static final Set<String> FIELDS = Set.of("image", "image[]", "mask", "prompt", "model", "n", "size",
            "quality", "background", "output_format", "output_compression", "input_fidelity", "partial_images",
            "stream", "response_format", "user");
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/webp");
    private static final Set<String> STANDARD_SIZES = Set.of("1024x1024", "1536x1024", "1024x1536", "auto");
    private static final Set<String> DALL_E_2_SIZES = Set.of("256x256", "512x512", "1024x1024");
    private static final Pattern WxH = Pattern.compile("^(\\d{1,5})x(\\d{1,5})$");
    private static final int MAX_IMAGE_BYTES = 50 * 1024 * 1024;
    private static final int MAX_DALL_E_2_BYTES = 4 * 1024 * 1024;

    OpenAiEditSpec validate(MultipartForm form) throws RejectedRequest {
        for (MultipartForm.Part part : form.parts()) {
            if (!FIELDS.contains(part.name())) {
                throw invalid("Unknown parameter: '" + part.name() + "'.", part.name(), "unknown_parameter");
            }
        }
        String model = text(form, "model", DEFAULT_MODEL);
        if (!MODELS.contains(model)) {
            throw invalid("Invalid value for 'model': '" + model + "'. Supported values are: " + MODELS + ".",
                    "model", "invalid_value");
        }
        boolean gpt = !model.equals("dall-e-2");
        int imageCount = checkImages(form, model, gpt);
        checkMask(form);

        String prompt = text(form, "prompt", null);
        if (prompt == null || prompt.isBlank()) {
            throw invalid("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        }
        int maxPrompt = gpt ? 32000 : 1000;
        if (prompt.length() > maxPrompt) {
            throw invalid("Invalid 'prompt': string too long. Expected a string with maximum length " + maxPrompt
                    + ", but got a string with length " + prompt.length() + " instead.", "prompt", "string_above_max_length");
        }
        int n = integer(form, "n", 1, 1, 10);
        String size = text(form, "size", "auto");
        checkSize(model, size);
        String quality = text(form, "quality", "auto");
        checkOneOf("quality", quality, gpt ? Set.of("low", "medium", "high", "auto") : Set.of("standard", "auto"));

        String background = text(form, "background", null);
        String outputFormat = text(form, "output_format", null);
        if (!gpt) {
            for (String gptOnly : List.of("background", "output_format", "output_compression", "input_fidelity")) {
                if (form.first(gptOnly).isPresent()) {
                    throw invalid("'" + gptOnly + "' is not supported for dall-e-2.", gptOnly, "invalid_value");
                }
            }
        } else {
            background = background == null ? "auto" : background;
            outputFormat = outputFormat == null ? "png" : outputFormat;
            checkOneOf("background", background, Set.of("transparent", "opaque", "auto"));
            checkOneOf("output_format", outputFormat, Set.of("png", "jpeg", "webp"));
            if (background.equals("transparent") && outputFormat.equals("jpeg")) {
                throw invalid("Transparent background requires output_format png or webp.", "background", "invalid_value");
            }
            integer(form, "output_compression", 100, 0, 100);
            String fidelity = text(form, "input_fidelity", null);
            if (fidelity != null) {
                checkOneOf("input_fidelity", fidelity, Set.of("high", "low"));
                if (model.startsWith("gpt-image-2")) {
                    // docs/providers.md: gpt-image-2 does not allow changing input_fidelity
                    throw invalid("'input_fidelity' is not supported for " + model + ".", "input_fidelity", "invalid_value");
                }
                if (model.equals("gpt-image-1-mini")) {
                    throw invalid("'input_fidelity' is not supported for gpt-image-1-mini.", "input_fidelity", "invalid_value");
                }
            }
        }
        integer(form, "partial_images", 0, 0, 3);
        String stream = text(form, "stream", "false");
        checkOneOf("stream", stream, Set.of("true", "false"));
        if (stream.equals("true")) {
            throw invalid("stream=true is not simulated by OpenAiSimulator.", "stream", "invalid_value");
        }
        String responseFormat = text(form, "response_format", null);
        if (gpt && responseFormat != null) {
            // response_format is dall-e-2 only; GPT image models always answer with b64_json.
            throw invalid("Unknown parameter: 'response_format'. It is only supported for dall-e-2.",
                    "response_format", "unknown_parameter");
        }
        if (!gpt) {
            responseFormat = responseFormat == null ? "url" : responseFormat;
            checkOneOf("response_format", responseFormat, Set.of("url", "b64_json"));
        }
        return new OpenAiEditSpec(model, prompt, n, size, quality, background, outputFormat, responseFormat, imageCount);
    }

    private static int checkImages(MultipartForm form, String model, boolean gpt) throws RejectedRequest {
        List<MultipartForm.Part> images = new ArrayList<>(form.parts("image"));
        images.addAll(form.parts("image[]"));
        if (images.isEmpty()) {
            throw invalid("Missing required parameter: 'image'.", "image", "missing_required_parameter");
        }
        int max = gpt ? 16 : 1;
        if (images.size() > max) {
            throw invalid("Invalid 'image': " + model + " accepts at most " + max + " image(s), got " + images.size() + ".",
                    images.get(0).name(), "invalid_value");
        }
        for (MultipartForm.Part image : images) {
            checkFilePart(image, gpt ? IMAGE_TYPES : Set.of("image/png"), gpt ? MAX_IMAGE_BYTES : MAX_DALL_E_2_BYTES);
        }
        return images.size();
    }

    private static void checkMask(MultipartForm form) throws RejectedRequest {
        List<MultipartForm.Part> masks = form.parts("mask");
        if (masks.size() > 1) {
            throw invalid("Invalid 'mask': send at most one mask.", "mask", "invalid_value");
        }
        if (!masks.isEmpty()) {
            checkFilePart(masks.get(0), Set.of("image/png"), MAX_DALL_E_2_BYTES);
        }
    }

    /** A file part needs a filename and an explicit, supported Content-Type: that is how the API learns its type. */
    private static void checkFilePart(MultipartForm.Part part, Set<String> types, int maxBytes) throws RejectedRequest {
        String name = part.name();
        if (part.filename() == null || part.filename().isBlank()) {
            throw invalid("Invalid file '" + name + "': the part has no filename, so it is not a file upload.",
                    name, "invalid_value");
        }
        String type = part.contentType() == null ? null
                : part.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type == null || !types.contains(type)) {
            throw invalid("Invalid file '" + name + "': unsupported mimetype ('" + part.contentType()
                    + "'). Supported file formats are " + types + ".", name, "invalid_value");
        }
        if (part.content().length == 0) {
            throw invalid("Invalid file '" + name + "': the file is empty.", name, "invalid_value");
        }
        if (part.content().length > maxBytes) {
            throw invalid("Invalid file '" + name + "': the file is larger than " + (maxBytes / (1024 * 1024)) + " MB.",
                    name, "invalid_value");
        }
    }

    private static void checkSize(String model, String size) throws RejectedRequest {
        if (model.startsWith("gpt-image-2")) {
            if (size.equals("auto")) {
                return;
            }
            Matcher m = WxH.matcher(size);
            if (!m.matches()) {
                throw badSize(size, "use 'auto' or WIDTHxHEIGHT");
            }
            int w = Integer.parseInt(m.group(1));
            int h = Integer.parseInt(m.group(2));
            if (w == 0 || h == 0 || w % 16 != 0 || h % 16 != 0) {
                throw badSize(size, "both sides must be multiples of 16");
            }
            if (Math.max(w, h) > 3840 || Math.min(w, h) > 2160) {
                throw badSize(size, "the largest size is 3840x2160 (either orientation)");
            }
            if (Math.max(w, h) > 3L * Math.min(w, h)) {
                throw badSize(size, "the aspect ratio must be between 1:3 and 3:1");
            }
            // docs/providers.md: total pixels 655,360 to 8,294,400
            if ((long) w * h < 655_360 || (long) w * h > 8_294_400) {
                throw badSize(size, "the total number of pixels must be from 655,360 to 8,294,400");
            }
        } else if (model.equals("dall-e-2")) {
            if (!DALL_E_2_SIZES.contains(size) && !size.equals("auto")) {
                throw badSize(size, "supported: " + DALL_E_2_SIZES);
            }
        } else if (!STANDARD_SIZES.contains(size)) {
            throw badSize(size, "supported: " + STANDARD_SIZES);
        }
    }

    private static RejectedRequest badSize(String size, String why) {
        return invalid("Invalid value for 'size': '" + size + "': " + why + ".", "size", "invalid_value");
    }

    private static void checkOneOf(String field, String value, Set<String> allowed) throws RejectedRequest {
        if (!allowed.contains(value)) {
            throw invalid("Invalid value for '" + field + "': '" + value + "'. Supported values are: " + allowed + ".",
                    field, "invalid_value");
        }
    }

    private static String text(MultipartForm form, String name, String fallback) {
        return form.first(name).map(p -> p.text().trim()).orElse(fallback);
    }

    private static int integer(MultipartForm form, String name, int fallback, int min, int max) throws RejectedRequest {
        String value = text(form, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw invalid("Invalid value for '" + name + "': expected an integer from " + min + " to " + max
                + ", got '" + value + "'.", name, "invalid_value");
    }

    private static RejectedRequest invalid(String message, String param, String code) {
        return new RejectedRequest(400, message, param, code);
    }
}
