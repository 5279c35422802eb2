package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input schema ({@code components.schemas.Input}) of each model the Atlas simulator knows,
 * written from docs/providers.md (Atlas' ComfyUI nodes and MCP server), plus what a JSON schema
 * cannot say (the side range of a "W*H" size). Where docs/providers.md records a conflict, the schema
 * publishes one form and {@link Rules#alsoAccepted} the other, so the simulator takes both.
 */
final class AtlasModelSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What the validator checks beyond the schema. */
    record Rules(ObjectNode input, SizeRule size, int minSide, int maxSide, Map<String, String> alsoAccepted) {
    }

    /** How a "size" string is checked beyond its schema type. */
    enum SizeRule { SCHEMA_ONLY, SIDES, WXH_OR_RATIO }

    static final List<String> NANO_RATIOS = List.of("1:1", "3:2", "2:3", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9");
    static final List<String> IMAGEN_RATIOS = List.of("1:1", "16:9", "9:16", "4:3", "3:4");
    static final List<String> SEQUENTIAL_PRESETS = List.of("2048*2048", "2304*1728", "1728*2304", "2848*1600", "1600*2848",
            "2496*1664", "1664*2496", "3136*1344", "3072*3072", "3456*2592", "2592*3456", "4096*2304", "2304*4096", "2496*3744",
            "3744*2496", "4704*2016");

    private AtlasModelSchemas() {
    }

    /** A fresh copy of every model's rules (the simulator may change its copy: a provider's schema drifting). */
    static Map<String, Rules> all() {
        Map<String, Rules> models = new LinkedHashMap<>();
        models.put("google/imagen4-ultra", new Rules(input(p -> {
            enumOf(p, "aspect_ratio", IMAGEN_RATIOS);
            p.set("negative_prompt", type("string"));
            p.set("seed", type("integer"));
            // docs/providers.md: Atlas' Imagen 3 page lists num_images 1-4 (unverified for Imagen 4 Ultra)
            p.set("num_images", range("integer", 1, 4));
        }), SizeRule.SCHEMA_ONLY, 0, 0, Map.of()));
        models.put("z-image/turbo", new Rules(input(p -> {
            p.set("size", type("string"));
            p.set("seed", range("integer", -1, 2147483647));
            p.set("prompt_extend", type("boolean"));
        }), SizeRule.SIDES, 256, 2048, Map.of()));
        models.put("google/nano-banana-2/edit", new Rules(input(p -> {
            p.set("images", images(1, 14));
            enumOf(p, "aspect_ratio", NANO_RATIOS);
            enumOf(p, "resolution", List.of("1k", "2k", "4k"));
            enumOf(p, "output_format", List.of("png", "jpeg"));
        }, "images"), SizeRule.SCHEMA_ONLY, 0, 0, Map.of()));
        models.put("black-forest-labs/flux-2-pro/edit", new Rules(input(p -> {
            p.set("images", images(1, 8));
            p.set("size", type("string"));
            enumOf(p, "output_format", List.of("jpeg", "png"));
            p.set("safety_tolerance", range("integer", 0, 5));
            p.set("seed", range("integer", -1, 2147483647));
        }, "images"), SizeRule.SIDES, 256, 2048, Map.of()));
        // CONFLICT (docs/providers.md): the node sends one 'image', other sources 'images'; both are taken
        models.put("bytedance/seedream-v5.0-lite/edit", new Rules(input(p -> {
            p.set("images", images(1, 14));
            p.set("size", type("string"));
        }), SizeRule.SIDES, 1024, 4096, Map.of("image", "string")));
        models.put("bytedance/seedream-v5.0-lite/edit-sequential", new Rules(input(p -> {
            p.set("images", images(1, 14));
            enumOf(p, "size", SEQUENTIAL_PRESETS);
            enumOf(p, "output_format", List.of("jpeg", "png"));
            enumOf(p, "optimize_prompt_mode", List.of("standard", "fast"));
            p.set("max_images", range("integer", 1, 15));
        }, "images"), SizeRule.SCHEMA_ONLY, 0, 0, Map.of()));
        // CONFLICT (docs/providers.md): size "WxH" (third-party dumps) or an aspect ratio (older node); both are taken
        models.put("openai/gpt-image-2/edit", new Rules(input(p -> {
            p.set("images", images(1, 10));
            p.set("size", type("string"));
            enumOf(p, "resolution", List.of("1k", "2k", "4k"));
            enumOf(p, "quality", List.of("low", "medium", "high"));
            enumOf(p, "output_format", List.of("png", "jpeg", "webp"));
            enumOf(p, "moderation", List.of("low", "auto"));
        }, "images"), SizeRule.WXH_OR_RATIO, 0, 0, Map.of()));
        return models;
    }

    /** The OpenAPI document Atlas publishes at a model's schema URL. */
    static ObjectNode document(String model, ObjectNode input) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", model);
        doc.putObject("components").putObject("schemas").set("Input", input);
        return doc;
    }

    private interface Properties {
        void add(ObjectNode properties);
    }

    private static ObjectNode input(Properties specific, String... required) {
        ObjectNode input = JSON.objectNode();
        input.put("type", "object");
        ObjectNode properties = input.putObject("properties");
        properties.set("model", type("string"));
        properties.set("prompt", type("string"));
        specific.add(properties);
        // docs/providers.md: optional fields common to Atlas' schemas
        properties.set("enable_sync_mode", type("boolean"));
        properties.set("enable_base64_output", type("boolean"));
        properties.set("webhook_url", type("string"));
        ArrayNode req = input.putArray("required");
        req.add("model");
        req.add("prompt");
        for (String r : required) {
            req.add(r);
        }
        return input;
    }

    private static ObjectNode type(String type) {
        ObjectNode node = JSON.objectNode();
        node.put("type", type);
        return node;
    }

    private static ObjectNode range(String type, int min, int max) {
        return type(type).put("minimum", min).put("maximum", max);
    }

    private static void enumOf(ObjectNode properties, String field, List<String> values) {
        ObjectNode node = type("string");
        ArrayNode list = node.putArray("enum");
        values.forEach(list::add);
        properties.set(field, node);
    }

    private static ObjectNode images(int min, int max) {
        ObjectNode node = type("array");
        node.set("items", type("string"));
        node.put("minItems", min);
        node.put("maxItems", max);
        return node;
    }
}
