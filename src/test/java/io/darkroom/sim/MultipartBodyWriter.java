package io.darkroom.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data request bodies in tests, including deliberately incomplete parts. */
final class MultipartBodyWriter {

    private final String boundary = "----sim-test-boundary-7d1f3a";
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    MultipartBodyWriter field(String name, String value) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    /** @param filename null leaves the filename out; @param contentType null leaves the part's Content-Type out */
    MultipartBodyWriter file(String name, String filename, String contentType, byte[] content) {
        StringBuilder head = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"");
        if (filename != null) {
            head.append("; filename=\"").append(filename).append('"');
        }
        head.append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        write(head + "\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body.toByteArray());
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
