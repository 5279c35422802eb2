package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What Atlas answers about a prediction at a given moment: the submit reply, a poll reply and the
 * sync-mode reply are all this answer, taken at different times. Per-poll faults (429/503/404 on
 * the first polls) are not here; they belong to the poll endpoint only.
 */
final class AtlasPredictionReplies {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String host;
    private final String apiBase;
    private final AtlasSimulator.Settings settings;

    AtlasPredictionReplies(String host, String apiBase, AtlasSimulator.Settings settings) {
        this.host = host;
        this.apiBase = apiBase;
        this.settings = settings;
    }

    /** The submit reply: always well-formed, since the malformed fault breaks polls, not the submit. */
    HttpReply submitted(AtlasJob job, long nowMillis) {
        return envelope(job, nowMillis);
    }

    /** A poll reply (or the sync-mode reply) at {@code nowMillis}. */
    HttpReply at(AtlasJob job, long nowMillis) {
        boolean done = job.isDoneAt(nowMillis);
        if (job.has(AtlasFault.MALFORMED)) {
            String cut = "{\"code\":200,\"message\":\"\",\"data\":{\"id\":\"" + job.id() + "\",\"status\":\"compl";
            return HttpReply.bytes(200, "application/json", cut.getBytes(StandardCharsets.UTF_8));
        }
        if (done && job.has(AtlasFault.FAILED_500)) {
            // Atlas' MCP server reads terminal failures from 5xx bodies like this one (docs/providers.md).
            ObjectNode data = JSON.objectNode();
            data.put("id", job.id());
            data.put("model", job.model());
            data.put("status", "failed");
            data.put("error", "internal model error");
            ObjectNode body = JSON.objectNode();
            body.put("code", 500);
            body.put("message", "prediction failed: internal model error");
            body.set("data", data);
            return HttpReply.json(500, body);
        }
        return envelope(job, nowMillis);
    }

    private HttpReply envelope(AtlasJob job, long nowMillis) {
        ObjectNode body = JSON.objectNode();
        body.put("code", 200);
        body.put("message", "");
        body.set("data", prediction(job, nowMillis));
        return HttpReply.json(200, body);
    }

    private ObjectNode prediction(AtlasJob job, long nowMillis) {
        ObjectNode data = JSON.objectNode();
        data.put("id", job.id());
        data.put("model", job.model());
        data.put("status", job.statusAt(nowMillis, settings.successStatus()));
        ArrayNode nsfw = JSON.arrayNode();
        if (job.succeededAt(nowMillis)) {
            ArrayNode outputs = data.putArray(settings.outputForm() == AtlasSimulator.OutputForm.OUTPUT_FIELD ? "output" : "outputs");
            for (int n = 1; n <= job.outputCount(); n++) {
                String output = job.base64Output()
                        ? Base64.getEncoder().encodeToString(AtlasOutputs.bytes(job, n))
                        : AtlasOutputs.url(host, job, n);
                if (settings.outputForm() == AtlasSimulator.OutputForm.OBJECTS) {
                    outputs.addObject().put("url", output);
                } else {
                    outputs.add(output);
                }
                nsfw.add(false);
            }
            if (job.has(AtlasFault.NSFW_EMPTY)) {
                nsfw.add(true);
            }
            if (settings.price() != null) {
                data.put("price", settings.price() * job.outputCount());
            }
        } else if (job.isDoneAt(nowMillis)) {
            data.putArray("outputs");
        } else {
            data.putNull("outputs");
        }
        data.putObject("urls").put("get", apiBase + "/model/prediction/" + job.id());
        data.put("created_at", job.createdAt().toString());
        data.set("has_nsfw_contents", nsfw);
        if (job.isDoneAt(nowMillis) && job.has(AtlasFault.ERROR_OBJECT)) {
            data.putObject("error").put("code", "INTERNAL").put("message", "the model ran out of memory");
        } else if (job.isDoneAt(nowMillis) && job.has(AtlasFault.MODERATED)) {
            data.put("error", "content moderation");
            data.put("error_code", 1039);
        } else {
            data.put("error", "");
        }
        return data;
    }
}
