package io.darkroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The baseline: the script a user writes without Darkroom, after the seed's example. One job at a
 * time: submit, sleep 3 s, poll, sleep again until it is done, download the image, next job. Plain
 * java.net.http, no Camel; the sleeping is the point.
 */
public final class NaiveClient {

    static final long POLL_SLEEP_MILLIS = 3000;
    private static final String MODEL = "black-forest-labs/flux-2-pro/edit";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Jobs done and the seconds they took, one after the other. */
    record Result(int jobs, int completed, double seconds) {
        double jobsPerSecond() {
            return jobs / seconds;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String apiKey;

    NaiveClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    Result run(List<Path> references) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int completed = 0;
        for (Path reference : references) {
            if (runOne(reference)) {
                completed++;
            }
        }
        return new Result(references.size(), completed, (System.nanoTime() - start) / 1e9);
    }

    private boolean runOne(Path reference) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", MODEL);
        body.put("prompt", "the same product on a plain studio backdrop, " + reference.getFileName());
        body.putArray("images").add("data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(reference)));
        JsonNode submitted = send(HttpRequest.newBuilder(URI.create(baseUrl + "/model/generateImage"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        String id = submitted.path("data").path("id").asText();
        while (true) {
            Thread.sleep(POLL_SLEEP_MILLIS);
            JsonNode data = send(HttpRequest.newBuilder(URI.create(baseUrl + "/model/prediction/" + id)).GET()).path("data");
            String status = data.path("status").asText();
            if (status.equals("completed") || status.equals("succeeded")) {
                HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(data.path("outputs").path(0).asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                return image.statusCode() == 200;
            }
            if (!status.equals("processing") && !status.equals("created") && !status.equals("starting")) {
                return false;
            }
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> reply = http.send(request.header("Authorization", "Bearer " + apiKey).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(reply.body());
    }

    /** {@code NaiveClient BASE_URL API_KEY IMAGE...}: runs the baseline alone and prints jobs per second. */
    public static void main(String[] args) throws Exception {
        List<Path> references = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            references.add(Path.of(args[i]));
        }
        Result result = new NaiveClient(args[0], args[1]).run(references);
        System.out.printf("naive client: %d jobs (%d completed) in %.1f s = %.3f jobs/s%n",
                result.jobs(), result.completed(), result.seconds(), result.jobsPerSecond());
    }
}
