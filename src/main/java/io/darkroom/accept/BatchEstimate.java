package io.darkroom.accept;

import io.darkroom.intake.FileStability;
import io.darkroom.intake.InboxScanner;
import io.darkroom.intake.JobClaims;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.plan.BudgetGuard;
import io.darkroom.ticket.TicketReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a folder of tickets would cost before anything is sent: each job read, validated and planned
 * by the same code as the accept stage, then checked against the budgets in order, as if the batch
 * ran now. Writes nothing, moves nothing, calls no provider.
 */
public class BatchEstimate {

    /** One job of the batch: its plan, or why it would fail or be held. */
    public record Line(String ticket, String useCase, String model, String provider, int outputs, double estimatedUsd,
                       ErrorCode errorCode, String problem) {
        public boolean isInvalid() {
            return errorCode != null && errorCode != ErrorCode.BUDGET_EXCEEDED;
        }

        public boolean isHeld() {
            return errorCode == ErrorCode.BUDGET_EXCEEDED;
        }
    }

    private static final int MAX_SCANS = 6;

    private final JobAcceptance acceptance;
    private final BudgetGuard budget;
    private final Clock clock;

    public BatchEstimate(JobAcceptance acceptance, BudgetGuard budget, Clock clock) {
        this.acceptance = acceptance;
        this.budget = budget;
        this.clock = clock;
    }

    public List<Line> estimate(Path folder) throws IOException {
        // every file counts as complete: no minimum age, no grace for missing references; a file is
        // stable once two scans saw it unchanged, and a ticket's images are looked at after the ticket
        InboxScanner scanner = new InboxScanner(folder, new TicketReader(), new FileStability(0, clock), new JobClaims(), 0, clock);
        List<Job> jobs = new ArrayList<>();
        for (int scan = 0; scan < MAX_SCANS; scan++) {
            List<Job> found = scanner.scan();
            jobs.addAll(found);
            if (scan > 0 && found.isEmpty() && scanner.isSettled()) {
                break;
            }
        }
        jobs.sort(java.util.Comparator.comparing(BatchEstimate::name));
        List<Line> lines = new ArrayList<>();
        double planned = 0;
        for (Job job : jobs) {
            String ticket = name(job);
            try {
                acceptance.plan(job);
            } catch (JobFailure failure) {
                lines.add(new Line(ticket, null, null, null, 0, 0, failure.code(), failure.getMessage()));
                continue;
            }
            int outputs = job.getTicket().variantCount();
            String held = budget.holdReason(job, planned);
            if (held == null) {
                planned += job.getPlan().getEstimatedCostUsd();
            }
            lines.add(new Line(ticket, job.getPlan().getUseCase(), job.getPlan().getModel(), job.getPlan().getProvider(), outputs,
                    job.getPlan().getEstimatedCostUsd(), held == null ? null : ErrorCode.BUDGET_EXCEEDED, held));
        }
        return lines;
    }

    private static String name(Job job) {
        String file = job.getTicketName() != null ? job.getTicketName()
                : job.getReferences().isEmpty() ? job.getId() : job.getReferences().get(0).getName();
        return job.getSourceFolder().isEmpty() ? file : job.getSourceFolder() + "/" + file;
    }
}
