package io.darkroom.provider;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request as a mapping describes it; the route sends it with camel-http. */
public class HttpCall {
    private final String method;
    private final String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;

    private HttpCall(String method, String url) {
        this.method = method;
        this.url = url;
    }

    public static HttpCall get(String url) {
        return new HttpCall("GET", url);
    }

    public static HttpCall post(String url, String contentType, byte[] body) {
        HttpCall call = new HttpCall("POST", url);
        call.headers.put("Content-Type", contentType);
        call.body = body;
        return call;
    }

    public HttpCall header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public String method() { return method; }
    public String url() { return url; }
    public Map<String, String> headers() { return headers; }
    public byte[] body() { return body; }
}
