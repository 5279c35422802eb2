package io.darkroom.provider;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** A provider's answer: status code, the headers a mapping may need, and the body bytes. */
public class HttpReply {
    private final int status;
    private final byte[] body;
    private final Function<String, String> headers;

    public HttpReply(int status, byte[] body, Function<String, String> headers) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
        this.headers = headers;
    }

    public int status() { return status; }
    public byte[] body() { return body; }
    public String header(String name) { return headers.apply(name); }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body for an error message: short, one line. */
    public String snippet() {
        String text = text().replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
