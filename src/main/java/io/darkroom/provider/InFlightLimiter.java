package io.darkroom.provider;

import io.darkroom.job.Job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Caps the jobs a provider has in flight (darkroom.providers.NAME.max-in-flight). A job over the cap
 * waits in a FIFO queue holding no thread; when a job leaves the provider its slot passes straight
 * to the next waiting job, which the route pass-provider-slot sends back to the submit stage.
 */
public class InFlightLimiter {

    private final Map<String, Integer> limits = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Deque<Job>> waiting = new HashMap<>();

    public synchronized void limit(String provider, int maxInFlight) {
        if (maxInFlight > 0) {
            limits.put(provider, maxInFlight);
        }
    }

    /** True when the job may go to its provider now; false when it was queued for a slot. */
    public synchronized boolean admit(Job job) {
        if (job.isHoldsProviderSlot()) {
            return true;
        }
        String provider = job.getProvider();
        Integer limit = limits.get(provider);
        int current = inFlight.getOrDefault(provider, 0);
        if (limit != null && current >= limit) {
            waiting.computeIfAbsent(provider, k -> new ArrayDeque<>()).addLast(job);
            return false;
        }
        inFlight.put(provider, current + 1);
        job.setHoldsProviderSlot(true);
        return true;
    }

    /** A job already at its provider (found in the ledger at start-up) takes a slot whatever the cap. */
    public synchronized void occupy(Job job) {
        if (!job.isHoldsProviderSlot()) {
            inFlight.merge(job.getProvider(), 1, Integer::sum);
            job.setHoldsProviderSlot(true);
        }
    }

    /**
     * The job no longer occupies its provider. Its slot passes to the next waiting job, which is
     * returned (already holding the slot) to be submitted; empty when nobody waits.
     */
    public synchronized List<Job> release(Job job) {
        if (job == null || !job.isHoldsProviderSlot()) {
            return List.of();
        }
        job.setHoldsProviderSlot(false);
        String provider = job.getProvider();
        Deque<Job> queue = waiting.get(provider);
        Job next = queue == null ? null : queue.pollFirst();
        if (next == null) {
            inFlight.merge(provider, -1, Integer::sum);
            return List.of();
        }
        next.setHoldsProviderSlot(true);
        return List.of(next);
    }

    public synchronized int inFlight(String provider) {
        return inFlight.getOrDefault(provider, 0);
    }

    public synchronized int waiting(String provider) {
        Deque<Job> queue = waiting.get(provider);
        return queue == null ? 0 : queue.size();
    }
}
