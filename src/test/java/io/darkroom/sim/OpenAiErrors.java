package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OpenAI's error body {@code {"error":{"message","type","param","code"}}} (docs/providers.md). */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static HttpReply reply(int status, String message, String type, String param, String code) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        return HttpReply.json(status, body);
    }

    static HttpReply invalidRequest(RejectedRequest rejected) {
        return reply(rejected.status(), rejected.getMessage(), "invalid_request_error", rejected.param(), rejected.code());
    }
}
