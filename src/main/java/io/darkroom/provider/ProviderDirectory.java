package io.darkroom.provider;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.plan.ModelSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The providers Darkroom can call and which one runs a job: the routing row's provider when its key
 * is configured and it serves the model, else the default. The default "auto" is the first
 * configured provider that serves the whole catalog, and without any key the offline preview
 * provider, which needs no mapping.
 */
public class ProviderDirectory {

    /** The built-in offline provider: marked previews, no network, no spend. */
    public static final String OFFLINE = "preview";

    private final Map<String, ProviderSettings> settings = new LinkedHashMap<>();
    private final Map<String, ProviderMapping> mappings = new LinkedHashMap<>();
    private final String configuredDefault;

    public ProviderDirectory(String configuredDefault) {
        this.configuredDefault = configuredDefault == null || configuredDefault.isBlank() ? "auto" : configuredDefault.trim();
    }

    public void add(ProviderMapping mapping, ProviderSettings provider) {
        mappings.put(mapping.name(), mapping);
        settings.put(mapping.name(), provider);
    }

    public ProviderSettings settings(String name) {
        return settings.get(name);
    }

    /** The mapping of a provider, or a PROVIDER_NOT_CONFIGURED failure naming it. */
    public ProviderMapping mapping(String name) {
        ProviderMapping mapping = mappings.get(name);
        if (mapping == null) {
            throw new JobFailure(ErrorCode.PROVIDER_NOT_CONFIGURED, "No provider called '" + name + "' is known.");
        }
        return mapping;
    }

    public Map<String, ProviderSettings> all() {
        return settings;
    }

    /** True for the provider that runs jobs offline (no request, no spend). */
    public boolean isOffline(String provider) {
        return OFFLINE.equals(provider);
    }

    /** The provider jobs run on when no routing row says otherwise. */
    public String defaultProvider() {
        if (!configuredDefault.equals("auto")) {
            return configuredDefault;
        }
        return mappings.values().stream()
                .filter(m -> m.servesWholeCatalog() && settings.get(m.name()).isConfigured())
                .map(ProviderMapping::name)
                .findFirst().orElse(OFFLINE);
    }

    public String providerFor(String routePreference, ModelSpec model) {
        if (routePreference != null) {
            ProviderSettings preferred = settings.get(routePreference);
            if (preferred != null && preferred.isConfigured() && model.getProviders().containsKey(routePreference)) {
                return routePreference;
            }
        }
        String provider = defaultProvider();
        if (isOffline(provider)) {
            return provider;
        }
        ProviderSettings chosen = settings.get(provider);
        if (chosen == null || !chosen.isConfigured()) {
            throw new JobFailure(ErrorCode.PROVIDER_NOT_CONFIGURED,
                    "Provider '" + provider + "' has no API key or base URL configured.");
        }
        if (!model.getProviders().containsKey(provider)) {
            throw new JobFailure(ErrorCode.MODEL_UNKNOWN,
                    "Model " + model.getId() + " is not offered by provider '" + provider + "' in config/models.yaml.");
        }
        return provider;
    }
}
