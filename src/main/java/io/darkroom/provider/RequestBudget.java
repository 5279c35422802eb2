package io.darkroom.provider;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How many requests a second Darkroom sends each provider (darkroom.providers.NAME.max-requests-per-
 * second), shared by its submits, polls, uploads and downloads. A request is given the next free
 * moment on its provider's timeline, at least one interval after the one before, and waits for it
 * as an asynchronous delay: no thread waits. A 429 on any request halves the provider's rate at
 * once; every other answer gives back a twentieth of the configured rate, so it recovers in a
 * few dozen requests (multiplicative decrease, additive increase).
 */
public class RequestBudget {

    private static final double FLOOR_SHARE = 0.05;
    private static final double RECOVERY_SHARE = 0.05;

    private final Clock clock;
    private final Map<String, Pace> paces = new HashMap<>();

    public RequestBudget(Clock clock) {
        this.clock = clock;
    }

    private static final class Pace {
        final double maxPerSecond;
        double perSecond;
        long nextFreeMillis;

        Pace(double maxPerSecond) {
            this.maxPerSecond = maxPerSecond;
            this.perSecond = maxPerSecond;
        }

        /** A twentieth over 1/rate: timers fire a little late or early, and a window of one second must not see one too many. */
        long intervalMillis() {
            return (long) Math.ceil(1050.0 / perSecond);
        }
    }

    /** A provider's rate; 0 or less leaves its requests unpaced. */
    public synchronized void limit(String provider, double maxPerSecond) {
        if (maxPerSecond > 0) {
            paces.put(provider, new Pace(maxPerSecond));
        }
    }

    /**
     * Reserves the moment of one request that is due in {@code dueInMillis} and returns the wait
     * from now until then: the due time, or later when the provider's budget is taken until then.
     */
    public synchronized long reserve(String provider, long dueInMillis) {
        Pace pace = paces.get(provider);
        long now = clock.millis();
        long due = now + Math.max(0, dueInMillis);
        if (pace == null) {
            return due - now;
        }
        long at = Math.max(due, pace.nextFreeMillis);
        pace.nextFreeMillis = at + pace.intervalMillis();
        return at - now;
    }

    /** Every answer from the provider adjusts its rate: a 429 halves it, anything else restores a little. */
    public synchronized void answered(String provider, int status) {
        Pace pace = paces.get(provider);
        if (pace == null) {
            return;
        }
        if (status == 429) {
            pace.perSecond = Math.max(pace.maxPerSecond * FLOOR_SHARE, pace.perSecond / 2);
            pace.nextFreeMillis = Math.max(pace.nextFreeMillis, clock.millis()) + pace.intervalMillis();
        } else if (status > 0) {
            pace.perSecond = Math.min(pace.maxPerSecond, pace.perSecond + pace.maxPerSecond * RECOVERY_SHARE);
        }
    }

    /** The provider's current rate in requests a second, or 0 when it is unpaced. */
    public synchronized double perSecond(String provider) {
        Pace pace = paces.get(provider);
        return pace == null ? 0 : pace.perSecond;
    }
}
