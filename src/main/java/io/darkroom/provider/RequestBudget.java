package io.darkroom.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * How many requests a second Darkroom sends each provider (darkroom.providers.NAME.max-requests-per-
 * second), shared by its submits, polls, uploads and downloads. A request is given the first free
 * moment at or after the time it is due on its provider's timeline, at least one interval away from
 * every moment already given, and waits for it as an asynchronous delay: no thread waits. Moments
 * are kept per request, not as one "next free" mark, because polls are booked ahead (a job's next
 * poll may be due in 30 s): a submit due now takes a gap before them instead of waiting behind the
 * latest booking. A 429 on any request halves the provider's rate at once and keeps the next
 * interval free; every other answer gives back a twentieth of the configured rate, so it recovers
 * in a few dozen requests (multiplicative decrease, additive increase).
 */
public class RequestBudget {

    private static final double FLOOR_SHARE = 0.05;
    private static final double RECOVERY_SHARE = 0.05;

    private static final Logger LOG = LoggerFactory.getLogger(RequestBudget.class);

    private final Clock clock;
    private final Map<String, Pace> paces = new HashMap<>();
    private int sharedAmong = 1;

    public RequestBudget(Clock clock) {
        this.clock = clock;
    }

    private static final class Pace {
        /** The configured rate; in cluster mode each node's share is this divided by the nodes alive. */
        final double configured;
        double maxPerSecond;
        double perSecond;
        /** The moments given to requests not yet past, and to each 429's pause. */
        final NavigableSet<Long> booked = new TreeSet<>();

        Pace(double maxPerSecond) {
            this.configured = maxPerSecond;
            this.maxPerSecond = maxPerSecond;
            this.perSecond = maxPerSecond;
        }

        /** The first moment from {@code due} at least one interval from every booked moment. */
        long firstFreeFrom(long due, long now) {
            long interval = intervalMillis();
            // moments more than an interval past cannot be too close to anything booked from now on
            booked.headSet(now - interval, false).clear();
            long at = due;
            while (true) {
                Long before = booked.floor(at);
                if (before != null && at - before < interval) {
                    at = before + interval;
                    continue;
                }
                Long after = booked.ceiling(at);
                if (after != null && after - at < interval) {
                    at = after + interval;
                    continue;
                }
                return at;
            }
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
     * Cluster mode: {@code nodes} nodes send to the same providers, so this one takes its share of
     * each configured rate. A rate slowed by 429s stays as slow; recovery stops at the share.
     */
    public synchronized void shareAmong(int nodes) {
        int share = Math.max(1, nodes);
        if (share == sharedAmong) {
            return;
        }
        sharedAmong = share;
        for (Map.Entry<String, Pace> entry : paces.entrySet()) {
            Pace pace = entry.getValue();
            pace.maxPerSecond = pace.configured / share;
            pace.perSecond = Math.min(pace.perSecond, pace.maxPerSecond);
            LOG.info("Request budget: {} node(s) share {}'s {} requests a second; this node sends up to {}", share, entry.getKey(),
                    pace.configured, String.format(Locale.ROOT, "%.2f", pace.maxPerSecond));
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
        long at = pace.firstFreeFrom(due, now);
        pace.booked.add(at);
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
            // the next interval stays free: the request answered 429 counts again
            long now = clock.millis();
            pace.booked.add(pace.firstFreeFrom(now, now));
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
