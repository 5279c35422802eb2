package io.darkroom.accept;

import io.darkroom.image.ImageFacts;
import io.darkroom.image.ImageInspector;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.JobState;
import io.darkroom.job.Reference;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.DestinationPlanner;
import io.darkroom.plan.UseCasePlanner;
import io.darkroom.ticket.TicketValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The steps of the accept stage (route accept), everything that can be known before money is spent:
 * record the job, validate the ticket and every reference image, plan the model, pick destinations
 * and compute the key that recognises a repeated input. Any problem throws a {@link JobFailure}
 * naming what to fix.
 */
public class JobAcceptance {

    private static final Logger LOG = LoggerFactory.getLogger(JobAcceptance.class);

    private final TicketValidator validator;
    private final ImageInspector images;
    private final UseCasePlanner planner;
    private final DestinationPlanner destinations;
    private final JobLedger ledger;
    private final Clock clock;

    public JobAcceptance(TicketValidator validator, ImageInspector images, UseCasePlanner planner, DestinationPlanner destinations,
                         JobLedger ledger, Clock clock) {
        this.validator = validator;
        this.images = images;
        this.planner = planner;
        this.destinations = destinations;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Recorded first, so even a job refused below is in the ledger with its error. */
    public void receive(Job job) {
        if (job.getReceivedAt() == null) {
            job.setReceivedAt(Instant.now(clock).toString());
        }
        ledger.transition(job, JobState.RECEIVED);
        if (job.getIntakeError() != null) {
            throw new JobFailure(job.getIntakeError(), job.getIntakeErrorMessage());
        }
    }

    /**
     * The accept stage's checks in the route's order, writing nothing: {@code darkroom plan} runs
     * them on a batch before it is sent.
     */
    public Job plan(Job job) {
        if (job.getIntakeError() != null) {
            throw new JobFailure(job.getIntakeError(), job.getIntakeErrorMessage());
        }
        validateTicket(job);
        inspectReferences(job);
        planModel(job);
        planDestinations(job);
        computeDedupeKey(job);
        return job;
    }

    public void validateTicket(Job job) {
        validator.check(job.getTicket(), job.getTicketName());
    }

    public void inspectReferences(Job job) {
        job.setReferences(inspect(job));
    }

    public void planModel(Job job) {
        job.setPlan(planner.plan(job));
    }

    public void planDestinations(Job job) {
        job.setDestinations(destinations.destinations(job));
    }

    public void computeDedupeKey(Job job) {
        job.setDedupeKey(DedupeKey.of(job));
        LOG.info("Job {} planned: {} on {} via {} (est. ${})", job.getId(), job.getPlan().getUseCase(), job.getPlan().getModel(),
                job.getPlan().getProvider(), job.getPlan().getEstimatedCostUsd());
    }

    private List<Reference> inspect(Job job) {
        List<Reference> checked = new ArrayList<>();
        for (Reference reference : job.getReferences()) {
            ImageFacts facts = images.inspect(Path.of(reference.getPath()));
            reference.setFormat(facts.getFormat().name().toLowerCase(Locale.ROOT));
            reference.setMimeType(facts.getFormat().mimeType());
            reference.setWidth(facts.getWidth());
            reference.setHeight(facts.getHeight());
            reference.setSizeBytes(facts.getSizeBytes());
            checked.add(reference);
        }
        return checked;
    }
}
