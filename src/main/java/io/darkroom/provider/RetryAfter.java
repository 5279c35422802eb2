package io.darkroom.provider;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a Retry-After header: delta-seconds or an HTTP date (RFC 9110). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** Milliseconds to wait, or null when the header is absent or unreadable. */
    public static Long millis(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Math.max(0, (long) (Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
