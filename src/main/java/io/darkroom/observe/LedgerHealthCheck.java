package io.darkroom.observe;

import io.darkroom.ledger.JobLedger;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.util.Map;

/** Ready only while the ledger takes writes: nothing may be paid for that the ledger cannot record. */
public class LedgerHealthCheck extends ReadinessCheck {

    private final JobLedger ledger;

    public LedgerHealthCheck(JobLedger ledger) {
        super("ledger");
        this.ledger = ledger;
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
