package io.darkroom.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of something Darkroom needs to do its work (a folder, the ledger, a provider, a bucket, a
 * mailbox): it counts for readiness only. Darkroom is alive while one of them is away, and
 * restarting it would not bring that back.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    ReadinessCheck(String name) {
        super("darkroom", name);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
