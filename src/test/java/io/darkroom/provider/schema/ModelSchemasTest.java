package io.darkroom.provider.schema;

import io.darkroom.plan.ModelCatalog;
import io.darkroom.provider.atlas.AtlasSchemaSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Without the provider, schemas come from the cache while it is fresh, else from the shipped snapshot. */
class ModelSchemasTest {

    private static final String UNREACHABLE = "http://127.0.0.1:1/api/v1";

    @TempDir
    Path data;

    @Test
    void theSnapshotCoversEveryAtlasModelOfTheCatalogWhenNothingElseCanBeRead() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models.yaml"));
        ModelSchemas schemas = AtlasSchemaSource.schemas(catalog, UNREACHABLE, data, 60_000, Clock.systemUTC());
        for (String model : catalog.providerModels("atlas")) {
            assertNotNull(schemas.input(model), model + " is in config/atlas-schemas.json");
        }
        assertEquals(ModelSchemas.Origin.SNAPSHOT, schemas.origin());
    }

    @Test
    void aFreshCacheIsUsedWithoutAskingTheProvider() throws Exception {
        Path cache = data.resolve("schemas/atlas.json");
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "{\"fetchedAtMillis\": " + System.currentTimeMillis() + ", \"models\": {\"z-image/turbo\": {\"properties\": {}}}}");
        ModelSchemas schemas = new ModelSchemas(UNREACHABLE, List.of("z-image/turbo"), cache, AtlasSchemaSource.SNAPSHOT,
                java.time.Duration.ofHours(1), Clock.systemUTC());
        assertNotNull(schemas.input("z-image/turbo"));
        assertEquals(ModelSchemas.Origin.CACHE, schemas.origin());
    }
}
