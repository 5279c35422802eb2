package io.darkroom.sim;

/**
 * A validated edit request with OpenAI's defaults filled in: what the simulator will produce.
 * {@code background}, {@code outputFormat} and {@code responseFormat} are null where the model has no
 * such option (GPT image models have no response_format, dall-e-2 no background/output_format).
 */
record OpenAiEditSpec(String model, String prompt, int n, String size, String quality, String background,
                      String outputFormat, String responseFormat, int imageCount) {

    boolean isGptImageModel() {
        return !model.equals("dall-e-2");
    }

    /** The size actually produced: "auto" becomes 1024x1024. */
    String resolvedSize() {
        return size.equals("auto") ? "1024x1024" : size;
    }

    int width() {
        return Integer.parseInt(resolvedSize().substring(0, resolvedSize().indexOf('x')));
    }

    int height() {
        return Integer.parseInt(resolvedSize().substring(resolvedSize().indexOf('x') + 1));
    }

    /** The quality actually produced: "auto" becomes medium. */
    String resolvedQuality() {
        return quality.equals("auto") ? "medium" : quality;
    }

    /** The background actually produced: "auto" becomes opaque. */
    String resolvedBackground() {
        return background == null || background.equals("auto") ? "opaque" : background;
    }
}
