package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The 200 body of a successful edit (docs/providers.md): {@code created}, {@code data[].b64_json} with
 * real images, the resolved options and a {@code usage} block. Images are 1/16 of the requested
 * size per side, keeping its aspect ratio while staying small and fast to encode.
 */
final class OpenAiEditResult {

    /**
     * Output tokens of one 1024x1024 image per quality; other sizes scale with their area. Token
     * counts are NOT documented in docs/providers.md: these only need to be plausible and consistent.
     */
    private static final Map<String, Integer> OUTPUT_TOKENS_1024 = Map.of("low", 272, "medium", 1056, "high", 4160);
    /** Input tokens per reference image (invented, see above). */
    private static final int TOKENS_PER_INPUT_IMAGE = 388;

    private OpenAiEditResult() {
    }

    /** @param storeForUrl stores image bytes under a name and returns their URL (dall-e-2 response_format=url) */
    static HttpReply reply(OpenAiEditSpec spec, String seed, long createdEpochSeconds,
                           BiFunction<String, byte[], String> storeForUrl) {
        String format = spec.outputFormat() == null ? "png" : spec.outputFormat();
        int width = Math.max(1, spec.width() / 16);
        int height = Math.max(1, spec.height() / 16);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("created", createdEpochSeconds);
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < spec.n(); i++) {
            byte[] image = GeneratedImage.encode(format, seed + "/" + i, width, height);
            if ("url".equals(spec.responseFormat())) {
                data.addObject().put("url", storeForUrl.apply(seed + "-" + i + "." + format, image));
            } else {
                data.addObject().put("b64_json", Base64.getEncoder().encodeToString(image));
            }
        }
        if (!spec.isGptImageModel()) {
            return HttpReply.json(200, body); // dall-e-2 answers carry no options or usage
        }
        body.put("background", spec.resolvedBackground());
        body.put("output_format", format);
        body.put("quality", spec.resolvedQuality());
        body.put("size", spec.resolvedSize());
        int textTokens = (spec.prompt().length() + 3) / 4;
        int imageTokens = TOKENS_PER_INPUT_IMAGE * spec.imageCount();
        long perImage = Math.round(OUTPUT_TOKENS_1024.get(spec.resolvedQuality())
                * (spec.width() * (double) spec.height()) / (1024.0 * 1024.0));
        long outputTokens = perImage * spec.n();
        ObjectNode usage = body.putObject("usage");
        usage.put("input_tokens", textTokens + imageTokens);
        ObjectNode inputDetails = usage.putObject("input_tokens_details");
        inputDetails.put("image_tokens", imageTokens);
        inputDetails.put("text_tokens", textTokens);
        usage.put("output_tokens", outputTokens);
        ObjectNode outputDetails = usage.putObject("output_tokens_details");
        outputDetails.put("image_tokens", outputTokens);
        outputDetails.put("text_tokens", 0);
        usage.put("total_tokens", textTokens + imageTokens + outputTokens);
        return HttpReply.json(200, body);
    }
}
