package io.darkroom.observe;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.job.Job;
import io.darkroom.ledger.JobLedger;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/metrics in Prometheus' text format: jobs by state and spend agree with the ledger. */
class MetricsTest extends DarkroomTestSupport {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(300));

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of the exposition: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    @Override
    protected void testProperties(Properties properties) {
        simulator.configure(properties);
        properties.put("darkroom.observe.refresh", "200");
    }

    @Test
    void jobsByStateAndSpendMatchTheLedger() throws Exception {
        sample("coffee.png", "mug.png");
        write("mug.txt", "the mug on marble, morning light");
        sample("chelsea.png", "cat.png");
        write("cat.json", "{\"prompt\": \"same character in a library\", \"useCase\": \"character\"}");
        sample("truncated.jpg", "broken.jpg");
        write("broken.txt", "this one cannot work");
        awaitFinished(3, Duration.ofSeconds(30));
        assertEquals(2, outcomes().delivered());

        JobLedger ledger = context.getRegistry().lookupByNameAndType("jobLedger", JobLedger.class);
        Map<String, Double> jobsInLedger = new HashMap<>();
        Map<String, Double> spendInLedger = new HashMap<>();
        for (Job job : ledger.all(100)) {
            String model = job.getPlan() == null ? "none" : job.getPlan().getModel();
            String useCase = job.getPlan() == null ? "none" : job.getPlan().getUseCase();
            jobsInLedger.merge(job.getState() + "|" + useCase + "|" + model, 1.0, Double::sum);
            boolean spending = switch (job.getState()) {
                case PLANNED, SUBMITTING, SUBMITTED, COMPLETED, DELIVERED, SUBMIT_UNKNOWN -> true;
                case FAILED -> job.getSubmittedAt() != null;
                default -> false;
            };
            if (spending && !"preview".equals(job.getProvider())) {
                spendInLedger.merge(model, job.getActualCostUsd() != null ? job.getActualCostUsd() : job.getPlan().getEstimatedCostUsd(),
                        Double::sum);
            }
        }
        assertTrue(spendInLedger.values().stream().mapToDouble(Double::doubleValue).sum() > 0, "jobs at a paid provider: " + spendInLedger);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Sample> samples = scrape();
            Map<String, Double> jobs = new HashMap<>();
            Map<String, Double> spend = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals("darkroom_jobs")) {
                    jobs.put(s.labels().get("state") + "|" + s.labels().get("use_case") + "|" + s.labels().get("gen_ai_request_model"), s.value());
                } else if (s.name().equals("darkroom_spend_usd")) {
                    spend.put(s.labels().get("gen_ai_request_model"), s.value());
                }
            }
            assertEquals(jobsInLedger, jobs);
            assertEquals(spendInLedger.keySet(), spend.keySet());
            spendInLedger.forEach((model, usd) -> assertEquals(usd, spend.get(model), 0.00005, model));
        });

        List<Sample> samples = scrape();
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("gen_ai_client_operation_duration_seconds_count")
                && s.labels().get("gen_ai_request_model").equals("black-forest-labs/flux-2-pro")
                && s.labels().get("gen_ai_provider_name").equals("atlas") && s.value() == 1), "GenAI duration per model");
        assertTrue(value(samples, "darkroom_provider_polls_total", "atlas") >= 2, "polls counted");
        assertEquals(0, value(samples, "darkroom_provider_jobs_in_flight", "atlas"), "nothing left at the provider");
        int ceiling = Integer.parseInt(context.resolvePropertyPlaceholders("{{darkroom.providers.atlas.max-in-flight}}"));
        assertEquals(ceiling, value(samples, "darkroom_provider_max_in_flight", "atlas"));
        double learned = value(samples, "darkroom_provider_in_flight_limit", "atlas");
        assertTrue(learned >= 1 && learned <= ceiling, "the learned limit, within the ceiling: " + learned);
        assertTrue(samples.stream().anyMatch(s -> s.name().startsWith("camel_exchanges")), "Camel's own metrics too");
    }

    private static double value(List<Sample> samples, String name, String provider) {
        return samples.stream().filter(s -> s.name().equals(name) && provider.equals(s.labels().get("gen_ai_provider_name")))
                .mapToDouble(Sample::value).sum();
    }

    private List<Sample> scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "a Prometheus sample line: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }
}
