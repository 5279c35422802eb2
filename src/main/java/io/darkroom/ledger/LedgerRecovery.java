package io.darkroom.ledger;

import io.darkroom.intake.JobClaims;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks up after a stop or crash, from the ledger alone. When it starts (before any route), the
 * inputs of unfinished jobs are claimed so the inbox scan does not start them again; the route
 * resume-from-ledger then sends each one where it left off.
 */
public class LedgerRecovery extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRecovery.class);

    private final JobLedger ledger;
    private final JobClaims claims;
    private final List<Job> resumable = new ArrayList<>();
    private java.util.function.Consumer<String> releaseClusterClaims = jobId -> { };

    public LedgerRecovery(JobLedger ledger, JobClaims claims) {
        this.ledger = ledger;
        this.claims = claims;
    }

    /** Cluster mode: a job failed here lets go of its input claims, so any node picks the inputs up again. */
    public void setReleaseClusterClaims(java.util.function.Consumer<String> release) {
        this.releaseClusterClaims = release;
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(ledger);
        resumable.clear();
        for (Job job : mine(ledger.inStates(JobState.RECEIVED, JobState.PLANNED))) {
            // never reached a provider; its inputs are still in the inbox and will be scanned again
            job.setErrorCode(ErrorCode.INTERNAL);
            job.setErrorMessage("Interrupted by a restart before it was submitted; the inputs are picked up again as a new job.");
            ledger.transition(job, JobState.FAILED);
            releaseClusterClaims.accept(job.getId());
        }
        resumable.addAll(mine(ledger.inStates(JobState.SUBMITTING, JobState.SUBMITTED, JobState.COMPLETED)));
        for (Job job : resumable) {
            job.getInputs().forEach(input -> claims.claim(Path.of(input)));
        }
        if (!resumable.isEmpty()) {
            LOG.info("Ledger: {} unfinished job(s) from an earlier run will be resumed", resumable.size());
        }
    }

    /**
     * In cluster mode the unfinished jobs of other nodes are theirs while their leases run; a node
     * restarted under the same darkroom.cluster.node-id resumes its own at once, the rest are taken
     * over when their leases run out (route take-over-expired-leases).
     */
    private List<Job> mine(List<Job> jobs) {
        return ledger.isCluster() ? jobs.stream().filter(job -> ledger.nodeId().equals(job.getNode())).toList() : jobs;
    }

    /** The jobs to resume, handed out once (route resume-from-ledger). */
    public synchronized List<Job> unfinished() {
        List<Job> jobs = List.copyOf(resumable);
        resumable.clear();
        return jobs;
    }

    /**
     * A job stopped mid-submit: the provider may or may not have accepted (and billed) it. The
     * failure it ends with unless the provider's history shows the job (route resume-job).
     */
    public String interruptedSubmit(Job job) {
        return "Darkroom stopped while submitting this job to " + job.getProvider()
                + "; it cannot tell whether the provider accepted (and billed) it, so it was not sent again.";
    }
}
