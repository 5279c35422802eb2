package io.darkroom.ticket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns ticket bytes into text. Tickets come from every kind of editor: UTF-8 with or without a
 * byte-order mark, UTF-16 with a mark, or a legacy Windows code page. Strict UTF-8 first, so valid
 * UTF-8 is never misread; anything else falls back to windows-1252, which maps every byte.
 */
public final class TicketText {

    private TicketText() {
    }

    /**
     * @throws IllegalArgumentException when the bytes are not text: NUL bytes (binary data, or UTF-16
     *         without the byte-order mark that says which UTF-16 it is)
     */
    public static String decode(byte[] bytes) {
        boolean bom16 = startsWith(bytes, 0xFF, 0xFE) || startsWith(bytes, 0xFE, 0xFF);
        if (!bom16) {
            refuseNul(bytes);
        }
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return strictOrLegacy(bytes, 3);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        }
        return strictOrLegacy(bytes, 0);
    }

    private static void refuseNul(byte[] bytes) {
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                if (i % 2 == 0) {
                    evenNul++;
                } else {
                    oddNul++;
                }
            }
        }
        if (evenNul + oddNul == 0) {
            return;
        }
        int half = Math.max(1, bytes.length / 2);
        if (bytes.length >= 4 && Math.max(evenNul, oddNul) * 10 >= half * 3 && Math.min(evenNul, oddNul) * 10 < half) {
            throw new IllegalArgumentException("looks like UTF-16 text without a byte-order mark; save it as UTF-8");
        }
        throw new IllegalArgumentException("holds binary data (NUL bytes), not text");
    }

    /**
     * The first character a prompt must not carry, described with where it is, or null: control
     * characters other than tab and line breaks, the bidirectional overrides and isolates that make
     * text read differently from how it is stored, and U+FFFD, which stands for bytes that were not text.
     */
    public static String firstForbidden(String text) {
        int line = 1;
        int column = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                continue;
            }
            boolean control = (c < 0x20 && c != '\t' && c != '\r') || (c >= 0x7F && c <= 0x9F);
            boolean bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
            if (control || bidi || c == '\uFFFD') {
                String kind = control ? "a control character" : bidi ? "a bidirectional override" : "a replacement for bytes that were not text";
                return String.format("%s (U+%04X) at line %d, column %d", kind, (int) c, line, column);
            }
        }
        return null;
    }

    private static String strictOrLegacy(byte[] bytes, int offset) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, offset, bytes.length - offset, Charset.forName("windows-1252"));
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
