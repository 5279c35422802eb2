package io.darkroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Atlas simulator in a JVM of its own, so its work does not count as Darkroom's. */
final class SimulatorProcess implements AutoCloseable {

    private static final String READY = "atlas-simulator listening on ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    private SimulatorProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Starts {@code AtlasSimulator.main} with the scenario's latency, caps and key; waits until it listens. */
    static SimulatorProcess start(Scenario scenario, String apiKey, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Dsun.net.httpserver.nodelay=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.darkroom.sim.AtlasSimulator");
        command.addAll(List.of("--port", "0", "--job-millis", String.valueOf(scenario.latencyMillis()), "--cap", String.valueOf(scenario.cap()),
                "--api-key", apiKey, "--record-submits", "false", "--rate-cap", String.valueOf(scenario.rateCap())));
        if (scenario.latencyP95Millis() > 0) {
            command.addAll(List.of("--latency-p50-millis", String.valueOf(scenario.latencyMillis()),
                    "--latency-p95-millis", String.valueOf(scenario.latencyP95Millis()), "--seed", String.valueOf(Scenario.SEED)));
        }
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(READY)) {
                return new SimulatorProcess(process, line.substring(READY.length()).trim());
            }
        }
        process.destroyForcibly();
        throw new IOException("the Atlas simulator ended before it listened; see " + log);
    }

    /** {@code http://127.0.0.1:PORT/api/v1} */
    String baseUrl() {
        return baseUrl;
    }

    /** The simulator's counters: submits, polls, rateLimited, maxInFlightSeen, jobsCreated, ... */
    JsonNode stats() throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl.replaceFirst("/api/v1$", "") + "/sim/stats");
        HttpResponse<byte[]> reply = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(reply.body());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
