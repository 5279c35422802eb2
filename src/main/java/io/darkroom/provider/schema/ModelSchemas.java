package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * The input schemas of a provider's models, read as Atlas' own MCP server reads them:
 * {@code GET <base>/models} lists each model with a {@code schema} URL, whose OpenAPI document
 * holds {@code components.schemas.Input}. Fetched once when first needed, kept in a cache file
 * under the data folder for a time-to-live, and taken from the shipped snapshot when neither the
 * provider nor the cache can be read (said once in the log). The catalog's models are fetched;
 * others are left alone.
 */
public class ModelSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSchemas.class);

    /** Where a set of schemas came from. */
    public enum Origin { LIVE, CACHE, SNAPSHOT, NONE }

    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final Collection<String> models;
    private final Path cacheFile;
    private final Path snapshotFile;
    private final Duration timeToLive;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ObjectNode schemas;
    private Origin origin = Origin.NONE;
    private long loadedAtMillis;

    /**
     * @param models     provider model ids whose schemas are wanted
     * @param cacheFile  the cache under the data folder; null for none
     */
    public ModelSchemas(String baseUrl, Collection<String> models, Path cacheFile, Path snapshotFile, Duration timeToLive, Clock clock) {
        this.baseUrl = baseUrl;
        this.models = models;
        this.cacheFile = cacheFile;
        this.snapshotFile = snapshotFile;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    /** The model's {@code components.schemas.Input}, or null when no source knows the model. */
    public synchronized JsonNode input(String model) {
        if (schemas == null || clock.millis() - loadedAtMillis >= timeToLive.toMillis()) {
            load(); // a long-running daemon reads the provider again once the time-to-live has passed
        }
        JsonNode input = schemas.path("models").path(model);
        return input.isMissingNode() || input.isNull() ? null : input;
    }

    public synchronized Origin origin() {
        if (schemas == null) {
            load();
        }
        return origin;
    }

    /** Reads the provider now, whatever the cache holds (for `darkroom models`); null when unreachable. */
    public ObjectNode fetchLive() {
        try {
            JsonNode index = get(baseUrl + "/models");
            ObjectNode found = json.createObjectNode();
            ObjectNode byModel = found.putObject("models");
            found.put("fetchedAtMillis", clock.millis());
            for (JsonNode entry : index.path("data")) {
                String model = entry.path("model").asText("");
                String schemaUrl = entry.path("schema").asText("");
                if (models.contains(model) && !schemaUrl.isEmpty()) {
                    JsonNode input = get(schemaUrl).path("components").path("schemas").path("Input");
                    byModel.set(model, input.isMissingNode() ? json.nullNode() : input);
                }
            }
            return found;
        } catch (IOException e) {
            LOG.debug("Model schemas not read from {}: {}", baseUrl, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void load() {
        ObjectNode cached = read(cacheFile);
        if (cached != null && clock.millis() - cached.path("fetchedAtMillis").asLong(0) < timeToLive.toMillis()) {
            use(cached, Origin.CACHE);
            return;
        }
        ObjectNode live = fetchLive();
        if (live != null) {
            write(live);
            use(live, Origin.LIVE);
            return;
        }
        if (cached != null) {
            LOG.warn("The model list at {} could not be read; checking requests against the cached schemas of {}", baseUrl,
                    java.time.Instant.ofEpochMilli(cached.path("fetchedAtMillis").asLong(0)));
            use(cached, Origin.CACHE);
            return;
        }
        ObjectNode snapshot = read(snapshotFile);
        if (snapshot != null) {
            LOG.warn("The model list at {} could not be read and nothing is cached; checking requests against the shipped snapshot {}",
                    baseUrl, snapshotFile);
            use(snapshot, Origin.SNAPSHOT);
            return;
        }
        LOG.warn("No model schemas are available (provider unreachable, no cache, no snapshot): requests are sent unchecked");
        use(json.createObjectNode(), Origin.NONE);
    }

    private void use(ObjectNode found, Origin from) {
        schemas = found;
        origin = from;
        loadedAtMillis = clock.millis();
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> reply = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (reply.statusCode() != 200) {
            throw new IOException("HTTP " + reply.statusCode() + " from " + url);
        }
        return json.readTree(reply.body());
    }

    private ObjectNode read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable schema file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private void write(ObjectNode found) {
        if (cacheFile == null) {
            return;
        }
        try {
            Files.createDirectories(cacheFile.getParent());
            Path temp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), found);
            Files.move(temp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Model schemas not cached in {}: {}", cacheFile, e.getMessage());
        }
    }
}
