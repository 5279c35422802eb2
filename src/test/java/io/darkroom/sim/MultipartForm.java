package io.darkroom.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed {@code multipart/form-data} body (RFC 7578). Written by hand because the JDK has no
 * parser and the simulators must see exactly what a client put on the wire: part names such as
 * {@code image[]}, filenames, and whether a part carried its own Content-Type.
 */
final class MultipartForm {

    /** One part; {@code filename} and {@code contentType} are null when the part did not send them. */
    record Part(String name, String filename, String contentType, byte[] content) {

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final List<Part> parts;

    private MultipartForm(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    List<Part> parts() {
        return parts;
    }

    List<Part> parts(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).toList();
    }

    Optional<Part> first(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong with the body */
    static MultipartForm parse(String contentTypeHeader, byte[] body) {
        String boundary = boundaryOf(contentTypeHeader);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] innerDelimiter = concat(CRLF, delimiter);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body does not contain its boundary");
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            pos += delimiter.length;
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                break;
            }
            while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
                pos++; // transport padding allowed after a delimiter
            }
            if (!startsWith(body, pos, CRLF)) {
                throw new IllegalArgumentException("multipart delimiter is not followed by CRLF");
            }
            pos += 2;
            int contentStart;
            String headerText;
            if (startsWith(body, pos, CRLF)) {
                headerText = "";
                contentStart = pos + 2;
            } else {
                int headerEnd = indexOf(body, HEADER_END, pos);
                if (headerEnd < 0) {
                    throw new IllegalArgumentException("multipart part headers are not terminated");
                }
                headerText = new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8);
                contentStart = headerEnd + HEADER_END.length;
            }
            int contentEnd = indexOf(body, innerDelimiter, contentStart);
            if (contentEnd < 0) {
                throw new IllegalArgumentException("multipart part is not terminated by the boundary");
            }
            parts.add(part(headerText, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + CRLF.length;
        }
        return new MultipartForm(parts);
    }

    private static Part part(String headerText, byte[] content) {
        String disposition = null;
        String contentType = null;
        for (String line : headerText.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new IllegalArgumentException("multipart part has no 'Content-Disposition: form-data' header");
        }
        String name = parameter(disposition, "name");
        if (name == null) {
            throw new IllegalArgumentException("multipart part has no name");
        }
        return new Part(name, parameter(disposition, "filename"), contentType, content);
    }

    /** Reads {@code key=value} or {@code key="quoted \" value"} from a header value's parameters. */
    static String parameter(String headerValue, String key) {
        int i = headerValue.indexOf(';');
        while (i >= 0 && i < headerValue.length()) {
            i++;
            while (i < headerValue.length() && headerValue.charAt(i) == ' ') {
                i++;
            }
            int eq = headerValue.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String name = headerValue.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < headerValue.length() && headerValue.charAt(j) == '"') {
                j++;
                while (j < headerValue.length() && headerValue.charAt(j) != '"') {
                    char c = headerValue.charAt(j);
                    if (c == '\\' && j + 1 < headerValue.length()) {
                        c = headerValue.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                j++; // closing quote
            } else {
                while (j < headerValue.length() && headerValue.charAt(j) != ';') {
                    value.append(headerValue.charAt(j++));
                }
            }
            if (name.equalsIgnoreCase(key)) {
                return value.toString().trim();
            }
            i = headerValue.indexOf(';', j);
        }
        return null;
    }

    private static String boundaryOf(String contentTypeHeader) {
        if (contentTypeHeader == null
                || !contentTypeHeader.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new IllegalArgumentException("Content-Type must be multipart/form-data, was " + contentTypeHeader);
        }
        String boundary = parameter(contentTypeHeader, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart/form-data Content-Type has no boundary");
        }
        return boundary;
    }

    private static boolean startsWith(byte[] data, int from, byte[] prefix) {
        if (from + prefix.length > data.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (data[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        for (int i = from; i <= data.length - needle.length; i++) {
            if (startsWith(data, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
