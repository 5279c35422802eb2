package io.darkroom.provider;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.plan.ModelSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The providers Darkroom can call and which one runs a job: the routing row's provider when its key
 * is configured and it serves the model, else the default (atlas with a key, preview without).
 */
public class ProviderDirectory {

    public static final String PREVIEW = "preview";

    private final Map<String, ProviderSettings> settings = new LinkedHashMap<>();
    private final String configuredDefault;

    public ProviderDirectory(String configuredDefault) {
        this.configuredDefault = configuredDefault == null || configuredDefault.isBlank() ? "auto" : configuredDefault.trim();
    }

    public void add(ProviderSettings provider) {
        settings.put(provider.getName(), provider);
    }

    public ProviderSettings settings(String name) {
        return settings.get(name);
    }

    public Map<String, ProviderSettings> all() {
        return settings;
    }

    /** The provider jobs run on when no routing row says otherwise. */
    public String defaultProvider() {
        if (!configuredDefault.equals("auto")) {
            return configuredDefault;
        }
        ProviderSettings atlas = settings.get("atlas");
        return atlas != null && atlas.isConfigured() ? "atlas" : PREVIEW;
    }

    public String providerFor(String routePreference, ModelSpec model) {
        if (routePreference != null) {
            ProviderSettings preferred = settings.get(routePreference);
            if (preferred != null && preferred.isConfigured() && model.getProviders().containsKey(routePreference)) {
                return routePreference;
            }
        }
        String provider = defaultProvider();
        if (PREVIEW.equals(provider)) {
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
