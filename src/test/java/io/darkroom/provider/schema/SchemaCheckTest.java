package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request checked against a model's input schema as Atlas' MCP server checks it. */
class SchemaCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = """
            {"type": "object",
             "properties": {
               "prompt": {"type": "string"},
               "images": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
               "aspect_ratio": {"type": "string", "enum": ["1:1", "16:9"]},
               "seed": {"type": "integer", "minimum": -1, "maximum": 100},
               "resolution": {"type": "string", "default": "1k"}},
             "required": ["model", "prompt", "images", "resolution"]}""";

    private List<String> check(String body) throws Exception {
        return SchemaCheck.violations(JSON.readTree(body), JSON.readTree(INPUT));
    }

    @Test
    void aFittingRequestHasNoViolations() throws Exception {
        // 'model' is required but not declared, and 'resolution' has a default: both as Atlas' MCP server treats them
        assertEquals(List.of(), check("{\"model\": \"m\", \"prompt\": \"p\", \"images\": [\"u\"], \"aspect_ratio\": \"16:9\", \"seed\": 5}"));
    }

    @Test
    void eachViolationNamesTheFieldTheValueAndWhatIsAllowed() throws Exception {
        List<String> problems = check("{\"model\": \"m\", \"prompt\": \"p\", \"images\": [\"a\", \"b\", 3], \"aspect_ratio\": \"300:157\","
                + " \"seed\": 101, \"num_images\": 2}");
        String all = String.join("\n", problems);
        assertTrue(all.contains("field 'images' has 3 items, but the schema allows 1 to 2"), all);
        assertTrue(all.contains("field 'images[2]' is 3, but the schema wants a string"), all);
        assertTrue(all.contains("field 'aspect_ratio' is \"300:157\", but the schema allows only [\"1:1\",\"16:9\"]"), all);
        assertTrue(all.contains("field 'seed' is 101, but the schema allows -1 to 100"), all);
        assertTrue(all.contains("field 'num_images' is not in the model's schema"), all);
        JsonNode missing = JSON.readTree("{\"model\": \"m\"}");
        assertTrue(String.join("\n", SchemaCheck.violations(missing, JSON.readTree(INPUT))).contains("required field 'prompt' is missing"));
    }
}
