package io.darkroom.plan;

import java.util.ArrayList;
import java.util.List;

/** One row of config/routing.yaml: the model a use case runs on, its fallback, provider and destinations. */
public class UseCaseRoute {
    private String model;
    private String fallback;
    /** A provider for this use case when its key is configured; otherwise the default provider runs it. */
    private String provider;
    private List<String> destinations = new ArrayList<>();
    private String why;

    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public String getFallback() { return fallback; }
    public void setFallback(String fallback) { this.fallback = fallback; }
    public String getProvider() { return provider; }
    public void setProvider(String provider) { this.provider = provider; }
    public List<String> getDestinations() { return destinations; }
    public void setDestinations(List<String> destinations) { this.destinations = destinations; }
    public String getWhy() { return why; }
    public void setWhy(String why) { this.why = why; }
}
