package io.darkroom.plan;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import io.darkroom.provider.ProviderDirectory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Predicate;

/**
 * Holds a job whose estimated cost would pass a budget: the ticket's own budgetUsd, the per-job
 * limit, or what is left of the day's budget (UTC day, counted from the ledger).
 */
public class BudgetGuard {

    private final double perJobUsd;
    private final double perDayUsd;
    private final JobLedger ledger;
    private final Clock clock;
    private volatile Predicate<Job> releasedByOperator = job -> false;
    /** Cluster mode: the day's spend is checked and reserved under a lock all nodes share (null: this node alone). */
    private volatile io.darkroom.ledger.ClusterLedger cluster;

    public BudgetGuard(double perJobUsd, double perDayUsd, JobLedger ledger, Clock clock) {
        this.perJobUsd = perJobUsd;
        this.perDayUsd = perDayUsd;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Checks the job against every budget and, when it fits, records it as PLANNED in the same
     * step, so jobs accepted at the same moment cannot together pass the daily budget.
     */
    public synchronized void reserve(Job job) {
        if (cluster == null) {
            reserveNow(job);
        } else {
            cluster.underLock("daily-budget", () -> {
                reserveNow(job);
                return null;
            });
        }
    }

    /** Cluster mode: the nodes check and reserve one after another, so together they never pass the day's budget. */
    public void setCluster(io.darkroom.ledger.ClusterLedger cluster) {
        this.cluster = cluster;
    }

    private void reserveNow(Job job) {
        String reason = releasedByOperator.test(job) ? null : holdReason(job, 0);
        if (reason != null) {
            throw new JobFailure(ErrorCode.BUDGET_EXCEEDED, reason);
        }
        ledger.transition(job, JobState.PLANNED);
    }

    /** Jobs an operator released past the budgets (the console's "release"). */
    public void setReleasedByOperator(Predicate<Job> released) {
        this.releasedByOperator = released;
    }

    /**
     * Why a budget would hold this job, or null when it fits; {@code alsoPlannedUsd} is what jobs
     * planned before it in the same batch would add to today's spend ({@code darkroom plan}).
     */
    public synchronized String holdReason(Job job, double alsoPlannedUsd) {
        double estimate = job.getPlan().getEstimatedCostUsd();
        Double ticketBudget = job.getTicket().getBudgetUsd();
        if (ticketBudget != null && estimate > ticketBudget) {
            return String.format("The estimated cost $%.4f of %s is above the ticket's budgetUsd $%.4f.",
                    estimate, job.getPlan().getModel(), ticketBudget);
        }
        if (perJobUsd > 0 && estimate > perJobUsd) {
            return String.format("The estimated cost $%.4f of %s is above darkroom.budget.per-job-usd $%.4f.",
                    estimate, job.getPlan().getModel(), perJobUsd);
        }
        if (perDayUsd > 0 && !ProviderDirectory.OFFLINE.equals(job.getProvider())) {
            double spent = spentToday() + alsoPlannedUsd;
            if (spent + estimate > perDayUsd) {
                return String.format("Today's spend $%.4f plus this job's $%.4f would pass darkroom.budget.per-day-usd $%.4f.",
                        spent, estimate, perDayUsd);
            }
        }
        return null;
    }

    /** What paid providers cost so far today (UTC), from the ledger. */
    public double spentToday() {
        return ledger.spentSince(LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant(),
                ProviderDirectory.OFFLINE);
    }

    public double perDayUsd() {
        return perDayUsd;
    }

}
