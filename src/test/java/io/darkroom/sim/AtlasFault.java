package io.darkroom.sim;

import java.util.EnumSet;
import java.util.Set;

/**
 * Faults the {@link AtlasSimulator} plays for one job, chosen by a marker written anywhere inside
 * the job's prompt, so one test run can mix healthy and failing jobs. Markers combine.
 */
public enum AtlasFault {
    /** When the job's time is up, polls answer 200 with status "failed", error "content moderation", error_code 1039. */
    MODERATED("[sim:moderated]"),
    /** When the job's time is up, polls answer HTTP 500 with a terminal failed task in the body. */
    FAILED_500("[sim:failed-500]"),
    /** Every poll answers 200 with a truncated, unparseable JSON body. */
    MALFORMED("[sim:malformed]"),
    /** When the job's time is up, polls answer status "paused-for-review" (not in any Atlas vocabulary). */
    UNKNOWN_STATUS("[sim:unknown-status]"),
    /** The job never completes; it stays "processing" and stays in flight until reset() or stop(). */
    SLOW("[sim:slow]"),
    /** The job completes normally but its output URLs answer 404. */
    OUTPUT_404("[sim:output-404]"),
    /** The job's first 2 polls answer 429 without Retry-After. */
    POLL_429("[sim:poll-429]"),
    /** The job's first poll answers 429 with {@code Retry-After: 1}. */
    POLL_429_RETRY_AFTER("[sim:poll-429-retry-after]"),
    /** The job's first 2 polls answer 503. */
    POLL_503("[sim:poll-503]"),
    /** The job's first poll answers 404, as if the prediction were not yet visible. */
    NOT_FOUND_FIRST("[sim:not-found-first]"),
    /** The submit answers 500 but the job IS created and billed: a client must not send it again. */
    SUBMIT_500("[sim:submit-500]"),
    /** The submit never answers (held open until stop()); the job is created and billed on arrival. */
    SUBMIT_HANG("[sim:submit-hang]"),
    /** The submit answers 402 "insufficient balance"; no job is created. */
    OUT_OF_CREDIT("[sim:out-of-credit]"),
    /** When done, status is the success status but outputs are empty and has_nsfw_contents is [true]: the safety filter withheld the image. */
    NSFW_EMPTY("[sim:nsfw-empty]"),
    /** When done, status "failed" with error as an object {"code":..,"message":..} rather than a string. */
    ERROR_OBJECT("[sim:error-object]"),
    /** Completes with one output fewer than asked for (at least one). */
    FEWER_OUTPUTS("[sim:fewer-outputs]");

    private final String marker;

    AtlasFault(String marker) {
        this.marker = marker;
    }

    /** The text to put in a prompt to ask for this fault. */
    public String marker() {
        return marker;
    }

    static Set<AtlasFault> in(String prompt) {
        Set<AtlasFault> faults = EnumSet.noneOf(AtlasFault.class);
        if (prompt != null) {
            for (AtlasFault fault : values()) {
                if (prompt.contains(fault.marker)) {
                    faults.add(fault);
                }
            }
        }
        return faults;
    }
}
