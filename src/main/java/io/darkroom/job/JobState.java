package io.darkroom.job;

/** Where a job stands; the ledger stores it, and restarts resume from it. */
public enum JobState {
    RECEIVED, PLANNED, SUBMITTING, SUBMITTED, COMPLETED, DELIVERED, FAILED, HELD, SUBMIT_UNKNOWN;

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED || this == HELD || this == SUBMIT_UNKNOWN;
    }
}
