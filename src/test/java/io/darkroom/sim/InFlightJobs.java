package io.darkroom.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The jobs a provider is working on right now, kept as their finish times. A job leaves when its
 * time is up, which is computed on each look rather than by a timer, so admission and the status a
 * poll reports always agree.
 */
final class InFlightJobs {

    /** Finish time of a job that never finishes. */
    static final long NEVER = Long.MAX_VALUE;

    private final PriorityQueue<Long> finishTimes = new PriorityQueue<>();
    private int maxSeen;

    /** Admits a job finishing at {@code finishMillis} unless {@code cap} jobs are already in flight. */
    synchronized boolean tryAdmit(long nowMillis, long finishMillis, int cap) {
        dropFinished(nowMillis);
        if (finishTimes.size() >= cap) {
            return false;
        }
        finishTimes.add(finishMillis);
        maxSeen = Math.max(maxSeen, finishTimes.size());
        return true;
    }

    synchronized int count(long nowMillis) {
        dropFinished(nowMillis);
        return finishTimes.size();
    }

    synchronized int maxSeen() {
        return maxSeen;
    }

    /** Every job still running finishes now, but one that never finishes. */
    synchronized void finishBy(long nowMillis) {
        List<Long> running = new ArrayList<>(finishTimes);
        finishTimes.clear();
        running.forEach(finish -> finishTimes.add(finish == NEVER ? NEVER : Math.min(finish, nowMillis)));
    }

    synchronized void clear() {
        finishTimes.clear();
        maxSeen = 0;
    }

    private void dropFinished(long nowMillis) {
        while (!finishTimes.isEmpty() && finishTimes.peek() <= nowMillis) {
            finishTimes.poll();
        }
    }
}
