package io.darkroom.intake;

import java.util.UUID;

/** Job ids: a readable stem (the ticket's name, a mail's subject) plus a random part for uniqueness. */
public final class JobIds {

    private JobIds() {
    }

    public static String next(String stem) {
        String safe = stem == null ? "" : stem.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        if (safe.isEmpty()) {
            safe = "job";
        }
        return safe + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
