package io.darkroom.observe;

import io.darkroom.job.JobOutcomes;
import io.darkroom.ledger.JobLedger;
import io.darkroom.provider.InFlightLimiter;
import io.darkroom.s3.S3Location;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The operators' view: Darkroom's health checks and metrics on Camel's own health and Micrometer
 * registries, and the access token in front of Camel's HTTP server. Runs after the pipeline's
 * configuration, whose beans it watches.
 */
public class ObserveConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        JobLedger ledger = registry.lookupByNameAndType("jobLedger", JobLedger.class);
        JobOutcomes outcomes = registry.lookupByNameAndType("jobOutcomes", JobOutcomes.class);
        InFlightLimiter limiter = registry.lookupByNameAndType("inFlightLimiter", InFlightLimiter.class);

        boolean serverOn = Boolean.parseBoolean(text(context, "camel.server.enabled"));
        AccessToken token = new AccessToken(text(context, "darkroom.console.token"));
        if (serverOn) {
            AccessToken.requireForHost(text(context, "camel.server.host"), token.isSet());
        }
        registry.bind("accessToken", token);

        String endpoint = text(context, "darkroom.http.endpoint");
        ProviderTraffic traffic = new ProviderTraffic(endpoint.contains("?") ? endpoint.substring(0, endpoint.indexOf('?')) : endpoint, clock);
        context.getManagementStrategy().addEventNotifier(traffic);

        Map<String, Integer> maxInFlight = providerLimits(context);
        PipelineMetrics metrics = new PipelineMetrics(ledger, limiter, maxInFlight);
        registry.bind("pipelineMetrics", metrics);
        outcomes.onFinished(metrics::finished);

        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new LedgerHealthCheck(ledger));
        checks.add(new FolderHealthCheck("inbox", Path.of(text(context, "darkroom.inbox")).toAbsolutePath().normalize()));
        if (Boolean.parseBoolean(text(context, "darkroom.s3.enabled"))) {
            checks.add(new BucketHealthCheck(() -> registry.lookupByNameAndType("s3Client", S3Client.class),
                    new S3Location(text(context, "darkroom.s3.bucket"), text(context, "darkroom.s3.prefix"))));
        }
        if (Boolean.parseBoolean(text(context, "darkroom.mail.enabled"))) {
            String protocol = text(context, "darkroom.mail.protocol");
            checks.add(new MailboxHealthCheck(protocol, text(context, "darkroom.mail.host"),
                    Integer.parseInt(text(context, "darkroom.mail.imap-port")), text(context, "darkroom.mail.username"),
                    text(context, "darkroom.mail.password"), text(context, "darkroom.mail.folder")));
        }
        maxInFlight.keySet().forEach(provider -> checks.add(new ProviderHealthCheck(provider, traffic)));

        context.addStartupListener((camel, alreadyStarted) -> {
            HealthCheckRegistry health = HealthCheckRegistry.get(camel);
            if (health != null) {
                checks.forEach(health::register);
            }
            MeterRegistry meters = camel.getRegistry().findSingleByType(MeterRegistry.class);
            if (meters != null) {
                traffic.bindTo(meters);
                metrics.bindTo(meters);
            }
            if (serverOn) {
                int port = Integer.parseInt(text(camel, "camel.server.port"));
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
                if (router == null && token.isSet()) {
                    throw new IllegalStateException("the HTTP server's router was not found: cannot guard it with the access token");
                }
                if (router != null) {
                    token.guard(router);
                }
                LOG.info("Console, /observe/health and /observe/metrics on http://{}:{}/{}", text(camel, "camel.server.host"), port,
                        token.isSet() ? " (access token required)" : "");
            }
        });
    }

    /** Each provider with a darkroom.providers.NAME.max-in-flight key, and that limit. */
    private static Map<String, Integer> providerLimits(CamelContext context) {
        Map<String, Integer> limits = new TreeMap<>();
        Properties all = context.getPropertiesComponent().loadProperties(key -> key.startsWith("darkroom.providers."));
        for (String key : all.stringPropertyNames()) {
            if (key.endsWith(".max-in-flight")) {
                String name = key.substring("darkroom.providers.".length(), key.length() - ".max-in-flight".length());
                limits.put(name, Integer.parseInt(text(context, key)));
            }
        }
        return limits;
    }

    private static String text(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }
}
