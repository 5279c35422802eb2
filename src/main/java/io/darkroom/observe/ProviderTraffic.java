package io.darkroom.observe;

import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.provider.ProviderCalls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches every request that goes to a provider (they all pass one camel-http endpoint): counts
 * requests, polls and 429s per provider, and keeps each provider's last answer for the health check.
 */
public class ProviderTraffic extends EventNotifierSupport {

    /** What a provider last answered: an HTTP status, or no answer (status 0, with the problem). */
    public record Answer(int status, String problem, Instant at) {
        boolean isTrouble() {
            return status == 0 || status == 401 || status == 403 || status >= 500;
        }

        String describe() {
            return status == 0 ? "no answer (" + problem + ")" : "HTTP " + status;
        }
    }

    private final String endpointBase;
    private final Clock clock;
    private final Map<String, Answer> lastAnswers = new ConcurrentHashMap<>();
    private volatile MeterRegistry meters;

    /** @param endpointBase the provider endpoint without its options, e.g. http://provider */
    public ProviderTraffic(String endpointBase, Clock clock) {
        this.endpointBase = endpointBase;
        this.clock = clock;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
    }

    void bindTo(MeterRegistry registry) {
        this.meters = registry;
    }

    public Answer lastAnswer(String provider) {
        return lastAnswers.get(provider);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent sent && sent.getEndpoint().getEndpointBaseUri().startsWith(endpointBase);
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeSentEvent) event).getExchange();
        Job job = exchange.getProperty("job", Job.class);
        if (job == null || job.getProvider() == null) {
            return;
        }
        String provider = job.getProvider();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Exception problem = exchange.getException() != null ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        lastAnswers.put(provider, new Answer(status == null ? 0 : status,
                problem == null ? "unknown" : problem.getClass().getSimpleName(), Instant.now(clock)));
        MeterRegistry registry = meters;
        if (registry == null) {
            return;
        }
        String kind = kind(exchange, job);
        Counter.builder("darkroom.provider.requests").description("Requests sent to providers")
                .tag("gen_ai.provider.name", provider).tag("kind", kind).tag("status", status == null ? "none" : String.valueOf(status))
                .register(registry).increment();
        if ("poll".equals(kind)) {
            Counter.builder("darkroom.provider.polls").description("Status requests (polls) sent to providers")
                    .tag("gen_ai.provider.name", provider).register(registry).increment();
        }
        if (status != null && status == 429) {
            Counter.builder("darkroom.provider.throttled").description("Answers 429 Too Many Requests from providers")
                    .tag("gen_ai.provider.name", provider).tag("kind", kind).register(registry).increment();
        }
    }

    private static String kind(Exchange exchange, Job job) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (exchange.getProperty(ProviderCalls.LOST_SUBMIT) != null) {
            return "search";
        }
        if (job.getState() == JobState.SUBMITTING) {
            return "submit";
        }
        if (uri != null && uri.equals(job.getPollUrl())) {
            return "poll";
        }
        return job.getState() == JobState.COMPLETED || job.getState() == JobState.SUBMITTED ? "download" : "upload";
    }
}
