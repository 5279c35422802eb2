package io.darkroom.observe;

import org.apache.camel.health.HealthCheckResultBuilder;

import java.util.Map;

/**
 * A provider's last answer: down when it refused the key or could not be reached (network error,
 * 5xx); up otherwise, including before the first request.
 */
public class ProviderHealthCheck extends ReadinessCheck {

    private final String provider;
    private final ProviderTraffic traffic;

    public ProviderHealthCheck(String provider, ProviderTraffic traffic) {
        super("provider-" + provider);
        this.provider = provider;
        this.traffic = traffic;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ProviderTraffic.Answer answer = traffic.lastAnswer(provider);
        if (answer == null) {
            builder.detail("last.answer", "none yet").up();
            return;
        }
        builder.detail("last.answer", answer.describe()).detail("last.answer.at", answer.at().toString());
        if (answer.isTrouble()) {
            builder.message(provider + ": " + answer.describe()).down();
        } else {
            builder.up();
        }
    }
}
