package io.darkroom.provider;

import io.darkroom.job.ErrorCode;

import java.util.List;

/**
 * A provider answer classified into the small closed set the shared loop acts on. Every mapping
 * classifies its own status strings into this in exactly one place.
 */
public final class ProviderStep {

    public enum Kind {
        /** Submitted or still running: poll again. */
        IN_PROGRESS,
        /** Finished: outputs are URLs or inline bytes. */
        SUCCEEDED,
        /** A transient failure of this request (429, 502-504): try the same request again later. */
        RETRY,
        /** The job is over and failed; never retried. */
        FAILED
    }

    private final Kind kind;
    private final String providerJobId;
    private final String pollUrl;
    private final List<String> outputs;
    private final Double costUsd;
    private final Long retryAfterMillis;
    private final ErrorCode errorCode;
    private final String message;

    private ProviderStep(Kind kind, String providerJobId, String pollUrl, List<String> outputs, Double costUsd,
                         Long retryAfterMillis, ErrorCode errorCode, String message) {
        this.kind = kind;
        this.providerJobId = providerJobId;
        this.pollUrl = pollUrl;
        this.outputs = outputs == null ? List.of() : outputs;
        this.costUsd = costUsd;
        this.retryAfterMillis = retryAfterMillis;
        this.errorCode = errorCode;
        this.message = message;
    }

    public static ProviderStep inProgress(String providerJobId, String pollUrl) {
        return new ProviderStep(Kind.IN_PROGRESS, providerJobId, pollUrl, null, null, null, null, null);
    }

    /** Outputs are http(s) URLs to download, or data: URIs / bare base64 to decode. */
    public static ProviderStep succeeded(String providerJobId, List<String> outputs, Double costUsd) {
        return new ProviderStep(Kind.SUCCEEDED, providerJobId, null, outputs, costUsd, null, null, null);
    }

    public static ProviderStep retry(Long retryAfterMillis, String message) {
        return new ProviderStep(Kind.RETRY, null, null, null, null, retryAfterMillis, null, message);
    }

    public static ProviderStep failed(ErrorCode code, String message) {
        return new ProviderStep(Kind.FAILED, null, null, null, null, null, code, message);
    }

    public Kind kind() { return kind; }
    public String providerJobId() { return providerJobId; }
    public String pollUrl() { return pollUrl; }
    public List<String> outputs() { return outputs; }
    public Double costUsd() { return costUsd; }
    public Long retryAfterMillis() { return retryAfterMillis; }
    public ErrorCode errorCode() { return errorCode; }
    public String message() { return message; }
}
