package io.darkroom.sim;

/**
 * A request a simulator refuses. Each simulator renders it in its own provider's error envelope;
 * {@code param} and {@code code} are only used by the OpenAI envelope.
 */
final class RejectedRequest extends Exception {

    private final int status;
    private final String param;
    private final String code;

    RejectedRequest(int status, String message) {
        this(status, message, null, null);
    }

    RejectedRequest(int status, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    int status() {
        return status;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }
}
