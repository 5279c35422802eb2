package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.darkroom.plan.ModelSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a model's spec in config/models.yaml with the provider's published input schema, field
 * by field: every field Darkroom may send must still be a property of the right type, every value
 * the spec may send must still be allowed, and no field the schema requires may be missing.
 */
public final class SpecDrift {

    /** Differences that break requests (drift), and differences Darkroom settles by itself (notes). */
    public record Report(List<String> drift, List<String> notes) {
    }

    private SpecDrift() {
    }

    public static Report compare(ModelSpec.ProviderModel spec, JsonNode input) {
        List<String> drift = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        JsonNode properties = input.path("properties");
        Set<String> sent = new HashSet<>(List.of("model", "prompt"));

        ModelSpec.References references = spec.getReferences();
        if (!references.isNone()) {
            String field = references.getField();
            JsonNode property = properties.get(field);
            String other = field.equals("images") ? "image" : field.equals("image") ? "images" : null;
            if (property == null && other != null && properties.has(other)) {
                notes.add("references: the schema takes '" + other + "', not '" + field + "'; Darkroom sends '" + other + "' (settled from the schema)");
                field = other;
                property = properties.get(other);
            }
            sent.add(field);
            if (property == null) {
                drift.add("references: field '" + field + "' is not in the schema");
            } else if (references.isArray() && field.equals(references.getField()) && !"array".equals(property.path("type").asText())) {
                drift.add("references: '" + field + "' is a " + property.path("type").asText() + " in the schema, not an array");
            } else if (property.has("maxItems") && property.get("maxItems").asInt() < references.getMax() && "array".equals(property.path("type").asText())) {
                drift.add("references: the schema takes at most " + property.get("maxItems").asInt() + ", config/models.yaml says " + references.getMax());
            }
        }

        ModelSpec.SizeForm size = spec.getSize();
        if (!size.getForm().equals("none")) {
            sent.add(size.getField());
            JsonNode property = expect(properties, size.getField(), "string", "size", drift);
            List<String> values = switch (size.getForm()) {
                case "ratio" -> size.getRatios();
                case "presets" -> size.getPresets();
                default -> List.of();
            };
            allowed(property, size.getField(), values, drift);
            if (size.getResolutionField() != null) {
                sent.add(size.getResolutionField());
                allowed(expect(properties, size.getResolutionField(), "string", "resolution", drift), size.getResolutionField(), size.getResolutions(), drift);
            }
        }

        ModelSpec.Outputs outputs = spec.getOutputs();
        if (outputs.getField() != null) {
            sent.add(outputs.getField());
            JsonNode property = expect(properties, outputs.getField(), "integer", "output count", drift);
            if (property != null && property.has("maximum") && property.get("maximum").asInt() < outputs.getMax()) {
                drift.add("output count: '" + outputs.getField() + "' allows at most " + property.get("maximum").asInt()
                        + ", config/models.yaml says " + outputs.getMax());
            }
        }

        ModelSpec.Options options = spec.getOptions();
        if (options.getSeed() != null) {
            sent.add(options.getSeed());
            expect(properties, options.getSeed(), "integer", "seed", drift);
        }
        if (options.getOutputFormat() != null) {
            sent.add(options.getOutputFormat());
            allowed(expect(properties, options.getOutputFormat(), "string", "output format", drift), options.getOutputFormat(),
                    options.getOutputFormats(), drift);
        }
        for (String optional : new String[]{options.getQuality(), options.getNegativePrompt(), options.getSafetyTolerance()}) {
            if (optional != null) {
                sent.add(optional);
                expect(properties, optional, null, "option", drift);
            }
        }
        for (Map.Entry<String, Object> fixed : spec.getFixed().entrySet()) {
            sent.add(fixed.getKey());
            expect(properties, fixed.getKey(), null, "fixed field", drift);
        }
        for (JsonNode required : input.path("required")) {
            if (!sent.contains(required.asText()) && !properties.path(required.asText()).has("default")) {
                drift.add("the schema requires '" + required.asText() + "', which Darkroom never sends");
            }
        }
        return new Report(drift, notes);
    }

    private static JsonNode expect(JsonNode properties, String field, String type, String what, List<String> drift) {
        JsonNode property = properties.get(field);
        if (property == null) {
            List<String> names = new ArrayList<>();
            properties.fieldNames().forEachRemaining(names::add);
            drift.add(what + ": field '" + field + "' is not in the schema (its fields: " + String.join(", ", names) + ")");
            return null;
        }
        String actual = property.path("type").asText("");
        if (type != null && !actual.isEmpty() && !actual.equals(type) && !(type.equals("integer") && actual.equals("number"))) {
            drift.add(what + ": '" + field + "' is a " + actual + " in the schema, Darkroom sends a " + type);
        }
        return property;
    }

    private static void allowed(JsonNode property, String field, List<String> values, List<String> drift) {
        if (property == null || !property.has("enum")) {
            return;
        }
        Set<String> allowed = new HashSet<>();
        property.get("enum").forEach(v -> allowed.add(v.asText()));
        List<String> gone = values.stream().filter(v -> !allowed.contains(v)).toList();
        if (!gone.isEmpty()) {
            drift.add("'" + field + "' no longer allows " + gone + " (the schema allows " + property.get("enum") + ")");
        }
    }
}
