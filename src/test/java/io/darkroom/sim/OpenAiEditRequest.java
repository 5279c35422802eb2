package io.darkroom.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client sent to {@code /v1/images/edits}, as parsed from its multipart body: the text
 * fields, and the image parts by their metadata (name, filename, Content-Type, size), so a test
 * can check exactly how a client encoded its request.
 */
public final class OpenAiEditRequest {

    /** One image or mask part; {@code filename}/{@code contentType} are null when the part lacked them. */
    public record ImagePart(String fieldName, String filename, String contentType, int byteLength) {
    }

    private final Map<String, List<String>> fields;
    private final List<ImagePart> images;
    private final ImagePart mask;
    private final Map<String, List<String>> headers;

    private OpenAiEditRequest(Map<String, List<String>> fields, List<ImagePart> images, ImagePart mask,
                              Map<String, List<String>> headers) {
        this.fields = fields;
        this.images = images;
        this.mask = mask;
        this.headers = headers;
    }

    static OpenAiEditRequest of(MultipartForm form, Map<String, List<String>> requestHeaders) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<ImagePart> images = new ArrayList<>();
        ImagePart mask = null;
        for (MultipartForm.Part part : form.parts()) {
            switch (part.name()) {
                case "image", "image[]" -> images.add(imagePart(part));
                case "mask" -> mask = imagePart(part);
                default -> fields.computeIfAbsent(part.name(), n -> new ArrayList<>())
                        .add(new String(part.content(), StandardCharsets.UTF_8));
            }
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        requestHeaders.forEach((name, values) -> headers.put(name, List.copyOf(values)));
        fields.replaceAll((name, values) -> List.copyOf(values));
        return new OpenAiEditRequest(Collections.unmodifiableMap(fields), List.copyOf(images), mask,
                Collections.unmodifiableMap(headers));
    }

    private static ImagePart imagePart(MultipartForm.Part part) {
        return new ImagePart(part.name(), part.filename(), part.contentType(), part.content().length);
    }

    /** Text fields (every part except image, image[] and mask) by name, values in arrival order. */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** The first value of a text field, or null. */
    public String field(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The image parts ({@code image} and {@code image[]}) in arrival order. */
    public List<ImagePart> images() {
        return images;
    }

    /** The mask part, or null. */
    public ImagePart mask() {
        return mask;
    }

    /** Request headers, keys compared case-insensitively. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
