package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the Atlas simulator has seen, for tests and the benchmark to assert on. Thread-safe. */
final class AtlasCounters {

    private final AtomicLong submits = new AtomicLong();
    private final AtomicLong jobsCreated = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong historyLookups = new AtomicLong();

    void historyLookedUp() {
        historyLookups.incrementAndGet();
    }

    long historyLookups() {
        return historyLookups.get();
    }
    private final Map<String, AtomicLong> submitsByPrompt = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pollsByPrompt = new ConcurrentHashMap<>();
    private final List<RecordedSubmit> recordedSubmits = new ArrayList<>();

    void submitArrived(RecordedSubmit submit, boolean keep) {
        submits.incrementAndGet();
        if (keep) {
            synchronized (recordedSubmits) {
                recordedSubmits.add(submit);
            }
        }
        JsonNode prompt = submit.body() == null ? null : submit.body().get("prompt");
        if (prompt != null && prompt.isTextual()) {
            submitsByPrompt.computeIfAbsent(prompt.asText(), p -> new AtomicLong()).incrementAndGet();
        }
    }

    void jobCreated() {
        jobsCreated.incrementAndGet();
    }

    void pollArrived(String promptOrNull) {
        polls.incrementAndGet();
        if (promptOrNull != null) {
            pollsByPrompt.computeIfAbsent(promptOrNull, p -> new AtomicLong()).incrementAndGet();
        }
    }

    void rateLimitedSent() {
        rateLimited.incrementAndGet();
    }

    void unauthorizedSent() {
        unauthorized.incrementAndGet();
    }

    void uploadStored() {
        uploads.incrementAndGet();
    }

    void downloadServed() {
        downloads.incrementAndGet();
    }

    long submits() {
        return submits.get();
    }

    long submitsForPrompt(String prompt) {
        AtomicLong count = submitsByPrompt.get(prompt);
        return count == null ? 0 : count.get();
    }

    long jobsCreated() {
        return jobsCreated.get();
    }

    long polls() {
        return polls.get();
    }

    long pollsForPrompt(String prompt) {
        AtomicLong count = pollsByPrompt.get(prompt);
        return count == null ? 0 : count.get();
    }

    long rateLimited() {
        return rateLimited.get();
    }

    long unauthorized() {
        return unauthorized.get();
    }

    long uploads() {
        return uploads.get();
    }

    long downloads() {
        return downloads.get();
    }

    List<RecordedSubmit> recordedSubmits() {
        synchronized (recordedSubmits) {
            return List.copyOf(recordedSubmits);
        }
    }

    void clear() {
        historyLookups.set(0);
        submits.set(0);
        jobsCreated.set(0);
        polls.set(0);
        rateLimited.set(0);
        unauthorized.set(0);
        uploads.set(0);
        downloads.set(0);
        submitsByPrompt.clear();
        pollsByPrompt.clear();
        synchronized (recordedSubmits) {
            recordedSubmits.clear();
        }
    }
}
