package io.darkroom.sim;

import java.util.EnumSet;
import java.util.Set;

/**
 * Faults the {@link OpenAiSimulator} plays for one request, chosen by a marker written anywhere
 * inside the prompt. They apply after the request passed validation.
 */
public enum OpenAiFault {
    /** 400 {@code moderation_blocked}, type {@code image_generation_user_error}. */
    MODERATED("[sim:moderated]"),
    /** 429 {@code insufficient_quota} (OpenAI's out-of-credit answer; it never sends 402). */
    QUOTA("[sim:quota]"),
    /** The first 2 requests with this exact prompt answer 429 {@code rate_limit_exceeded} (no Retry-After); later ones succeed. */
    RATE_LIMIT("[sim:rate-limit]"),
    /** 500 {@code server_error}. */
    SERVER_ERROR("[sim:server-error]"),
    /** 400 {@code billing_hard_limit_reached}: out of credit, though it arrives as a 400 (docs/providers.md). */
    BILLING_LIMIT("[sim:billing-limit]"),
    /** 403 "Your organization must be verified to use the model" (docs/providers.md). */
    UNVERIFIED_ORG("[sim:unverified-org]");

    private final String marker;

    OpenAiFault(String marker) {
        this.marker = marker;
    }

    /** The text to put in a prompt to ask for this fault. */
    public String marker() {
        return marker;
    }

    static Set<OpenAiFault> in(String prompt) {
        Set<OpenAiFault> faults = EnumSet.noneOf(OpenAiFault.class);
        if (prompt != null) {
            for (OpenAiFault fault : values()) {
                if (prompt.contains(fault.marker)) {
                    faults.add(fault);
                }
            }
        }
        return faults;
    }
}
