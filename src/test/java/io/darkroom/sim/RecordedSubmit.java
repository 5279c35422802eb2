package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One submit as it arrived at the simulator: its headers (looked up case-insensitively, since the
 * JDK server re-cases header names) and its body parsed as JSON, or null when it was not JSON.
 */
public final class RecordedSubmit {

    private final Map<String, List<String>> headers;
    private final JsonNode body;

    RecordedSubmit(Map<String, List<String>> headers, JsonNode body) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
    }

    /** All request headers, keys compared case-insensitively. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, or null when it was not sent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The parsed JSON body, or null when the body was not JSON. */
    public JsonNode body() {
        return body;
    }
}
