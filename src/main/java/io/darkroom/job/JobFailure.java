package io.darkroom.job;

/** A job-ending failure with a stable code; the message says what was wrong with this job. */
public class JobFailure extends RuntimeException {

    private final ErrorCode code;

    public JobFailure(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public JobFailure(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
