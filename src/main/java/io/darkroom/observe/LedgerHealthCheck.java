package io.darkroom.observe;

import io.darkroom.ledger.JobLedger;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Ready only while the ledger takes writes: nothing may be paid for that the ledger cannot record. */
public class LedgerHealthCheck extends AbstractHealthCheck {

    private final JobLedger ledger;

    public LedgerHealthCheck(JobLedger ledger) {
        super("darkroom", "ledger");
        this.ledger = ledger;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            ledger.checkWritable();
            builder.up();
        } catch (RuntimeException e) {
            builder.message(e.getMessage()).down();
        }
    }
}
