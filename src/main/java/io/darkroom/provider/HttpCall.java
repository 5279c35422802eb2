package io.darkroom.provider;

import org.apache.hc.core5.http.HttpEntity;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request as a mapping describes it; the route sends it with camel-http. */
public class HttpCall {
    private final String method;
    private final String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private HttpEntity entity;

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

    /** A request whose body is streamed from its entity as it is sent (a multipart form with files, say). */
    public static HttpCall post(String url, HttpEntity entity) {
        HttpCall call = new HttpCall("POST", url);
        call.headers.put("Content-Type", entity.getContentType());
        call.entity = entity;
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
    public HttpEntity entity() { return entity; }
}
