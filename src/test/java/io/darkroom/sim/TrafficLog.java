package io.darkroom.sim;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client's traffic looked like to the simulator: authenticated requests per second (the
 * most seen in any one-second window, and a cap that refuses beyond it, as an account's request
 * limit would), and the shortest gap between two polls of one job.
 */
final class TrafficLog {

    private static final long SECOND = 1000;

    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    private final Map<String, Long> lastPoll = new ConcurrentHashMap<>();
    private int maxInAnySecond;
    private long rateRefused;
    private long capacityRefused;
    private long minPollGap = Long.MAX_VALUE;

    /** One request arrived; false when it is beyond {@code capPerSecond} (0: no cap) and must be refused. */
    synchronized boolean request(long nowMillis, int capPerSecond) {
        while (!lastSecond.isEmpty() && lastSecond.peekFirst() <= nowMillis - SECOND) {
            lastSecond.pollFirst();
        }
        lastSecond.addLast(nowMillis);
        maxInAnySecond = Math.max(maxInAnySecond, lastSecond.size());
        if (capPerSecond > 0 && lastSecond.size() > capPerSecond) {
            rateRefused++;
            return false;
        }
        return true;
    }

    synchronized void capacityRefusal() {
        capacityRefused++;
    }

    synchronized void poll(String jobId, long nowMillis) {
        Long previous = lastPoll.put(jobId, nowMillis);
        if (previous != null) {
            minPollGap = Math.min(minPollGap, nowMillis - previous);
        }
    }

    /** The most requests that arrived within any one second, refused ones included. */
    synchronized int maxInAnySecond() {
        return maxInAnySecond;
    }

    synchronized long rateRefused() {
        return rateRefused;
    }

    synchronized long capacityRefused() {
        return capacityRefused;
    }

    /** The shortest time between two polls of the same job; Long.MAX_VALUE when no job was polled twice. */
    synchronized long minPollGapMillis() {
        return minPollGap;
    }

    synchronized void clear() {
        lastSecond.clear();
        lastPoll.clear();
        maxInAnySecond = 0;
        rateRefused = 0;
        capacityRefused = 0;
        minPollGap = Long.MAX_VALUE;
    }
}
