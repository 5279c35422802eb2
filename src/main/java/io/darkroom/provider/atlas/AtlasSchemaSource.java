package io.darkroom.provider.atlas;

import io.darkroom.plan.ModelCatalog;
import io.darkroom.provider.schema.ModelSchemas;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Where Atlas' model schemas come from: its model list, the cache under the data folder, the shipped snapshot. */
public final class AtlasSchemaSource {

    /** The snapshot shipped with Darkroom, for when neither Atlas nor the cache can be read. */
    public static final Path SNAPSHOT = Path.of("config/atlas-schemas.json");

    private AtlasSchemaSource() {
    }

    public static ModelSchemas schemas(ModelCatalog catalog, String baseUrl, Path dataFolder, long timeToLiveMillis, Clock clock) {
        return new ModelSchemas(baseUrl, catalog.providerModels("atlas"), dataFolder.resolve("schemas").resolve("atlas.json"), SNAPSHOT,
                Duration.ofMillis(timeToLiveMillis), clock);
    }
}
