package io.darkroom.job;

/** Where a job stands; the ledger stores it, and restarts resume from it. */
public enum JobState {
    RECEIVED, PLANNED, SUBMITTING, SUBMITTED, COMPLETED, DELIVERED, FAILED, HELD, SUBMIT_UNKNOWN,
    /** Delivered with fewer outputs than the ticket asked for (error code PARTIAL_RESULT). */
    PARTIAL;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == HELD || this == SUBMIT_UNKNOWN || this == PARTIAL;
    }
}
