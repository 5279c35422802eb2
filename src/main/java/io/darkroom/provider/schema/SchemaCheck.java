package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a request body against a model's input schema ({@code components.schemas.Input} of the
 * provider's OpenAPI document), the way Atlas' own MCP server does before a billable call: every
 * field must be a property; type, enum, minimum/maximum, items and required are honoured. Each
 * violation names the field, the value and what is allowed.
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    public static List<String> violations(JsonNode body, JsonNode input) {
        List<String> problems = new ArrayList<>();
        JsonNode properties = input.path("properties");
        java.util.Set<String> required = new java.util.HashSet<>();
        input.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties.get(field.getKey());
            // some schemas require 'model' without declaring it; Atlas' MCP server accepts any value for such a field
            if (property == null && (field.getKey().equals("model") || required.contains(field.getKey()))) {
                continue;
            }
            if (property == null) {
                problems.add("field '" + field.getKey() + "' is not in the model's schema (its fields: " + names(properties) + ")");
            } else {
                check(field.getKey(), field.getValue(), property, problems);
            }
        }
        for (JsonNode name : input.path("required")) {
            // a required field with a default need not be sent (the server fills it in)
            if (!body.has(name.asText()) && !properties.path(name.asText()).has("default")) {
                String missing = name.asText();
                problems.add("required field '" + missing + "' is missing");
            }
        }
        return problems;
    }

    private static void check(String name, JsonNode value, JsonNode property, List<String> problems) {
        String type = property.path("type").asText("");
        if (!type.isEmpty() && !hasType(value, type)) {
            problems.add("field '" + name + "' is " + shown(value) + ", but the schema wants a " + type);
            return;
        }
        JsonNode allowed = property.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value) || option.asText().equals(value.asText()) && option.isValueNode() && value.isValueNode();
            }
            if (!found) {
                problems.add("field '" + name + "' is " + shown(value) + ", but the schema allows only " + allowed);
            }
        }
        if (value.isNumber()) {
            JsonNode min = property.get("minimum");
            JsonNode max = property.get("maximum");
            if (min != null && value.asDouble() < min.asDouble() || max != null && value.asDouble() > max.asDouble()) {
                problems.add("field '" + name + "' is " + value + ", but the schema allows " + (min == null ? "-" : min) + " to " + (max == null ? "-" : max));
            }
        }
        if (value.isArray()) {
            JsonNode minItems = property.get("minItems");
            JsonNode maxItems = property.get("maxItems");
            if (minItems != null && value.size() < minItems.asInt() || maxItems != null && value.size() > maxItems.asInt()) {
                problems.add("field '" + name + "' has " + value.size() + " items, but the schema allows "
                        + (minItems == null ? "0" : minItems) + " to " + (maxItems == null ? "any number" : maxItems));
            }
            JsonNode items = property.get("items");
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    check(name + "[" + i + "]", value.get(i), items, problems);
                }
            }
        }
    }

    static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.canConvertToExactIntegral();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
        };
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static String names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
