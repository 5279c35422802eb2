package io.darkroom.job;

import io.darkroom.ledger.JobLedger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped a job into its error record: the stable code, the message, the stage it
 * failed in, and the final state (FAILED, HELD for budget, SUBMIT_UNKNOWN), written to the ledger.
 */
public class FailureRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final JobLedger ledger;

    public FailureRecorder(JobLedger ledger) {
        this.ledger = ledger;
    }

    public Job record(Exchange exchange) {
        Job job = exchange.getProperty("job", Job.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        JobFailure failure = findFailure(cause);
        if (failure != null) {
            job.setErrorCode(failure.code());
            job.setErrorMessage(failure.getMessage());
        } else if (cause != null) {
            job.setErrorCode(ErrorCode.INTERNAL);
            job.setErrorMessage(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            LOG.error("Job {} failed unexpectedly", job.getId(), cause);
        }
        if (job.getErrorStage() == null) {
            String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
            job.setErrorStage(route == null ? "unknown" : route);
        }
        JobState state = switch (job.getErrorCode()) {
            case BUDGET_EXCEEDED -> JobState.HELD;
            case SUBMIT_UNKNOWN -> JobState.SUBMIT_UNKNOWN;
            default -> JobState.FAILED;
        };
        ledger.transition(job, state);
        LOG.warn("Job {} {} at {}: {} {}", job.getId(), state, job.getErrorStage(), job.getErrorCode(), job.getErrorMessage());
        return job;
    }

    private static JobFailure findFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JobFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
