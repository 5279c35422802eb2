package io.darkroom.observe;

import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import io.darkroom.provider.InFlightLimiter;
import io.darkroom.provider.ProviderDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Darkroom's own metrics, next to Camel's: jobs by state / use case / model and spend per model
 * (both read from the ledger, so they survive restarts and agree with it), jobs in flight, the
 * learned limit and the ceiling per provider, and the duration of each generation named after the OpenTelemetry GenAI
 * conventions (gen_ai.client.operation.duration).
 */
public class PipelineMetrics {

    static final String OPERATION = "generate_content";

    private final JobLedger ledger;
    private final InFlightLimiter limiter;
    private final Map<String, Integer> maxInFlight;
    private MeterRegistry registry;
    private MultiGauge jobs;
    private MultiGauge spend;

    public PipelineMetrics(JobLedger ledger, InFlightLimiter limiter, Map<String, Integer> maxInFlight) {
        this.ledger = ledger;
        this.limiter = limiter;
        this.maxInFlight = maxInFlight;
    }

    /** Registers the meters; called once the metrics registry exists. */
    public synchronized void bindTo(MeterRegistry meters) {
        this.registry = meters;
        jobs = MultiGauge.builder("darkroom.jobs").description("Jobs in the ledger by state, use case and model").register(meters);
        spend = MultiGauge.builder("darkroom.spend").baseUnit("usd").description("Spend per model as the budget counts it: actual cost where known, else the estimate (ledger)")
                .register(meters);
        maxInFlight.forEach((provider, limit) -> {
            Gauge.builder("darkroom.provider.jobs.in.flight", limiter, l -> l.inFlight(provider))
                    .description("Jobs at the provider now").tag("gen_ai.provider.name", provider).register(meters);
            Gauge.builder("darkroom.provider.jobs.waiting", limiter, l -> l.waiting(provider))
                    .description("Jobs waiting for a free slot at the provider").tag("gen_ai.provider.name", provider).register(meters);
            Gauge.builder("darkroom.provider.max.in.flight", () -> limit)
                    .description("The configured ceiling of jobs at the provider at once").tag("gen_ai.provider.name", provider).register(meters);
            Gauge.builder("darkroom.provider.in.flight.limit", limiter, l -> l.currentLimit(provider))
                    .description("The in-flight limit learned for the provider now (at most the ceiling)")
                    .tag("gen_ai.provider.name", provider).register(meters);
        });
        refresh();
    }

    /** Reads the ledger's counts again (the observe-ledger route calls this on a timer). */
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        List<MultiGauge.Row<?>> jobRows = new ArrayList<>();
        for (JobLedger.JobCount count : ledger.countByStateUseCaseModel()) {
            jobRows.add(MultiGauge.Row.of(Tags.of("state", count.state(), "use_case", orNone(count.useCase()),
                    "gen_ai.request.model", orNone(count.model())), count.jobs()));
        }
        jobs.register(jobRows, true);
        List<MultiGauge.Row<?>> spendRows = new ArrayList<>();
        ledger.spendByModel(ProviderDirectory.OFFLINE).forEach((model, usd) -> spendRows.add(MultiGauge.Row.of(Tags.of("gen_ai.request.model", model), usd)));
        spend.register(spendRows, true);
    }

    /** A job reached its end: how long its generation took at the provider, and how it ended. */
    public void finished(Job job) {
        MeterRegistry meters = registry;
        if (meters == null || job.getSubmittedAt() == null || job.getPlan() == null) {
            return;
        }
        Instant start = Instant.parse(job.getSubmittedAt());
        Instant end = job.getCompletedAt() != null ? Instant.parse(job.getCompletedAt()) : Instant.now();
        Timer.builder("gen_ai.client.operation.duration").description("Time from submit to result of a generation")
                .tag("gen_ai.operation.name", OPERATION)
                .tag("gen_ai.provider.name", job.getProvider())
                .tag("gen_ai.request.model", job.getPlan().getModel())
                .tag("error.type", job.getErrorCode() == null ? "" : job.getErrorCode().name())
                .register(meters).record(Duration.between(start, end).isNegative() ? Duration.ZERO : Duration.between(start, end));
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
