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
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accept stage: everything that can be known before money is spent. Validates the ticket and
 * every reference image, plans the model and picks destinations, recording the job in the ledger.
 * Any problem throws a {@link JobFailure} naming what to fix.
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

    @Handler
    public Job accept(Job job) {
        if (job.getReceivedAt() == null) {
            job.setReceivedAt(Instant.now(clock).toString());
        }
        ledger.transition(job, JobState.RECEIVED);
        plan(job);
        LOG.info("Job {} planned: {} on {} via {} (est. ${})", job.getId(), job.getPlan().getUseCase(), job.getPlan().getModel(),
                job.getPlan().getProvider(), job.getPlan().getEstimatedCostUsd());
        return job;
    }

    /**
     * Validates and plans without writing anything: the pipeline's accept step, and {@code darkroom plan}
     * before a batch is sent.
     */
    public Job plan(Job job) {
        if (job.getIntakeError() != null) {
            throw new JobFailure(job.getIntakeError(), job.getIntakeErrorMessage());
        }
        validator.check(job.getTicket(), job.getTicketName());
        job.setReferences(inspect(job));
        job.setPlan(planner.plan(job));
        job.setDestinations(destinations.destinations(job));
        job.setDedupeKey(DedupeKey.of(job));
        return job;
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
