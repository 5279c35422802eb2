package io.darkroom.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import io.darkroom.job.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models Darkroom knows, read from config/models.yaml. */
public class ModelCatalog {

    private final Map<String, ModelSpec> models = new LinkedHashMap<>();

    public ModelCatalog(List<ModelSpec> specs) {
        specs.forEach(spec -> models.put(spec.getId(), spec));
    }

    public static ModelCatalog load(Path file) throws IOException {
        Map<String, List<ModelSpec>> doc = Json.strictYaml(new TypeReference<Map<String, List<ModelSpec>>>() { }).readValue(file.toFile());
        return new ModelCatalog(doc.getOrDefault("models", List.of()));
    }

    public ModelSpec find(String id) {
        return id == null ? null : models.get(id);
    }

    public Collection<ModelSpec> all() {
        return models.values();
    }
}
