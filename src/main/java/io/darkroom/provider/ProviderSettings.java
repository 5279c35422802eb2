package io.darkroom.provider;

/** Where a provider is and how to reach it; the key comes from the environment only. */
public class ProviderSettings {
    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final int maxInFlight;

    public ProviderSettings(String name, String baseUrl, String apiKey, int maxInFlight) {
        this.name = name;
        this.baseUrl = stripSlash(baseUrl);
        this.apiKey = apiKey == null ? "" : apiKey.trim();
        this.maxInFlight = maxInFlight;
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String getName() { return name; }
    public String getBaseUrl() { return baseUrl; }
    public String apiKey() { return apiKey; }
    public int getMaxInFlight() { return maxInFlight; }

    public boolean isConfigured() {
        return !apiKey.isEmpty() && baseUrl != null && !baseUrl.isBlank();
    }

    @Override
    public String toString() {
        // never the key
        return name + "@" + baseUrl;
    }
}
