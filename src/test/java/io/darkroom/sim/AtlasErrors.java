package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Atlas' error envelope {@code {"code":N,"msg":"...","request_id":"...","data":null}} (docs/providers.md). */
final class AtlasErrors {

    private AtlasErrors() {
    }

    static HttpReply reply(int status, String msg, String requestId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", status);
        body.put("msg", msg);
        body.put("request_id", requestId);
        body.putNull("data");
        return HttpReply.json(status, body);
    }
}
