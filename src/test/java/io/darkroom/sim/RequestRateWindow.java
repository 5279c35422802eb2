package io.darkroom.sim;

import java.util.ArrayDeque;

/**
 * Requests seen in the last minute, to fill OpenAI's {@code x-ratelimit-*-requests} headers with
 * numbers that move like the real ones. It reports; it does not refuse anything.
 */
final class RequestRateWindow {

    private static final long WINDOW_MILLIS = 60_000;

    private final ArrayDeque<Long> times = new ArrayDeque<>();

    synchronized void record(long nowMillis) {
        drop(nowMillis);
        times.addLast(nowMillis);
    }

    synchronized int count(long nowMillis) {
        drop(nowMillis);
        return times.size();
    }

    /** Milliseconds until the oldest request leaves the window, i.e. until one more request is allowed. */
    synchronized long millisUntilReset(long nowMillis) {
        drop(nowMillis);
        return times.isEmpty() ? 0 : times.peekFirst() + WINDOW_MILLIS - nowMillis;
    }

    synchronized void clear() {
        times.clear();
    }

    /** OpenAI writes durations Go-style: "20ms", "1.5s", "1m0s". */
    static String goDuration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis >= 60_000) {
            long seconds = millis / 1000;
            return (seconds / 60) + "m" + (seconds % 60) + "s";
        }
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0).replaceAll("\\.?0+$", "");
        return seconds + "s";
    }

    private void drop(long nowMillis) {
        while (!times.isEmpty() && times.peekFirst() <= nowMillis - WINDOW_MILLIS) {
            times.pollFirst();
        }
    }
}
