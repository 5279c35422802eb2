package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer, built before anything is written. Handlers decide the whole answer first, and a
 * scheduled completion (sync mode, added latency) can send it later from another thread.
 */
final class HttpReply {

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private HttpReply(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static HttpReply json(int status, JsonNode json) {
        // JsonNode.toString() writes valid JSON since Jackson 2.10, so no mapper is needed here.
        return new HttpReply(status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static HttpReply bytes(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, body);
    }

    static HttpReply text(int status, String text) {
        return new HttpReply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    HttpReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    HttpReply headerIfAbsent(String name, String value) {
        headers.putIfAbsent(name, value);
        return this;
    }

    int status() {
        return status;
    }

    void sendTo(HttpExchange exchange) throws IOException {
        try {
            headers.forEach(exchange.getResponseHeaders()::set);
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            // -1 tells the JDK server "no body"; 0 would mean chunked.
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } finally {
            exchange.close();
        }
    }
}
