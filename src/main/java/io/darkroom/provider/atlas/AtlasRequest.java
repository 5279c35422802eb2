package io.darkroom.provider.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.job.Job;
import io.darkroom.plan.ModelSpec;
import io.darkroom.provider.SizeFit;
import io.darkroom.ticket.Ticket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an Atlas submit body from the model's spec in config/models.yaml: no model is named here.
 * References are added afterwards, straight from their files; this says where they go.
 */
final class AtlasRequest {

    /** The body without references, where the references go, and what was asked and sent. */
    record Built(ObjectNode body, String referenceField, boolean referenceArray, Map<String, Object> request) {
    }

    private AtlasRequest() {
    }

    static Built build(Job job, ModelSpec.ProviderModel spec, JsonNode schemaInput, ObjectMapper json) {
        Ticket ticket = job.getTicket();
        ObjectNode body = json.createObjectNode();
        body.put("model", spec.getModel());
        body.put("prompt", AtlasMapping.promptWithText(ticket));
        Map<String, Object> asked = new LinkedHashMap<>();
        Map<String, Object> dropped = new LinkedHashMap<>();

        SizeFit.Fitted size = SizeFit.fit(ticket, spec.getSize());
        size.fields().forEach((field, value) -> body.set(field, json.valueToTree(value)));
        if (size.asked() != null) {
            asked.put("size", size.asked());
        }

        ModelSpec.Options options = spec.getOptions();
        if (ticket.getSeed() != null) {
            asked.put("seed", ticket.getSeed());
            if (options.getSeed() != null) {
                body.put(options.getSeed(), ticket.getSeed());
            } else {
                dropped.put("seed", spec.getModel() + " takes no seed");
            }
        }
        if (ticket.getOutputFormat() != null) {
            asked.put("outputFormat", ticket.getOutputFormat());
            String format = ticket.getOutputFormat().equals("jpg") ? "jpeg" : ticket.getOutputFormat();
            if (options.getOutputFormat() != null && options.getOutputFormats().contains(format)) {
                body.put(options.getOutputFormat(), format);
            } else {
                dropped.put("outputFormat", spec.getModel() + " takes output formats " + options.getOutputFormats()
                        + "; its default is used and the file keeps the format the provider returns");
            }
        }
        int variants = ticket.variantCount();
        asked.put("outputs", variants);
        ModelSpec.Outputs outputs = spec.getOutputs();
        int calls = calls(variants, outputs);
        if (variants > 1 && outputs.getField() != null) {
            // each call asks for what is left, up to the most one call can give
            int left = variants - (job.getCallNumber() - 1) * outputs.getMax();
            body.put(outputs.getField(), Math.max(1, Math.min(left, outputs.getMax())));
        }
        spec.getFixed().forEach((field, value) -> body.set(field, json.valueToTree(value)));

        ModelSpec.References references = spec.getReferences();
        String field = references.isNone() ? null : references.getField();
        boolean array = references.isArray();
        if (field != null && schemaInput != null && !schemaInput.path("properties").has(field)) {
            // the sources disagree on some models' reference field (docs/providers.md): the live schema settles it
            for (String candidate : List.of("images", "image")) {
                JsonNode property = schemaInput.path("properties").get(candidate);
                if (property != null) {
                    field = candidate;
                    array = "array".equals(property.path("type").asText());
                    break;
                }
            }
        }

        Map<String, Object> request = new LinkedHashMap<>();
        request.put("asked", asked);
        if (calls > 1) {
            request.put("calls", calls + " billable calls: the model gives at most "
                    + (outputs.getField() == null ? "one output per call" : outputs.getMax() + " outputs per call"));
        }
        ObjectNode sent = body.deepCopy();
        sent.remove("prompt");
        if (field != null) {
            int count = array ? job.getReferences().size() : Math.min(1, job.getReferences().size());
            sent.put(field, count + (count == 1 ? " reference" : " references") + (array ? " (array)" : " (string)"));
        }
        request.put("sent", json.convertValue(sent, Map.class));
        if (size.sent() != null) {
            request.put("size", size.asked() + " -> " + size.sent());
        }
        if (!dropped.isEmpty()) {
            request.put("notSent", dropped);
        }
        return new Built(body, field, array, request);
    }

    /** Billable calls needed for this many outputs: through the count field where the model has one, else one call per output. */
    static int calls(int variants, ModelSpec.Outputs outputs) {
        int perCall = outputs.getField() == null ? 1 : Math.max(1, outputs.getMax());
        return Math.max(1, (variants + perCall - 1) / perCall);
    }

    /** The body as the schema sees it: references as placeholder strings (their bytes do not matter to it). */
    static ObjectNode forSchemaCheck(Built built, int references, ObjectMapper json) {
        ObjectNode copy = built.body().deepCopy();
        if (built.referenceField() != null) {
            if (built.referenceArray()) {
                ArrayNode list = copy.putArray(built.referenceField());
                for (int i = 1; i <= references; i++) {
                    list.add("https://reference.invalid/" + i);
                }
            } else {
                copy.put(built.referenceField(), "https://reference.invalid/1");
            }
        }
        return copy;
    }
}
