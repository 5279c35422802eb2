package io.darkroom.provider;

import io.darkroom.plan.ModelCatalog;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a provider mapping is built from when Darkroom finds it on the class path: the model
 * catalog and the configuration (a mapping reads its own darkroom.providers.NAME.* keys).
 */
public record ProviderContext(ModelCatalog catalog, Function<String, Optional<String>> properties) {

    /** A configured value, or the fallback when the key is absent or empty. */
    public String text(String key, String fallback) {
        return properties.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    public long number(String key) {
        String value = text(key, null);
        if (value == null) {
            throw new IllegalArgumentException("Configuration key " + key + " has no value (config/application.properties)");
        }
        return Long.parseLong(value);
    }
}
