package io.darkroom.sim;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;

/** Reads a request body with an upper bound, so an oversized request is answered instead of buffered. */
final class BoundedBody {

    private BoundedBody() {
    }

    /** Returns the body, or null when it is longer than {@code maxBytes}. */
    static byte[] read(HttpExchange exchange, int maxBytes) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            return body.length > maxBytes ? null : body;
        }
    }
}
