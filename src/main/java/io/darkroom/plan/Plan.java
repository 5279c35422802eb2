package io.darkroom.plan;

/** The model chosen for a job, the provider that will run it, and why. */
public class Plan {
    private String useCase;
    private String model;
    private String provider;
    private String providerModel;
    private String reason;
    private double estimatedCostUsd;

    public Plan() {
    }

    public Plan(String useCase, String model, String provider, String providerModel, String reason, double estimatedCostUsd) {
        this.useCase = useCase;
        this.model = model;
        this.provider = provider;
        this.providerModel = providerModel;
        this.reason = reason;
        this.estimatedCostUsd = estimatedCostUsd;
    }

    public String getUseCase() { return useCase; }
    public void setUseCase(String useCase) { this.useCase = useCase; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public String getProvider() { return provider; }
    public void setProvider(String provider) { this.provider = provider; }
    public String getProviderModel() { return providerModel; }
    public void setProviderModel(String providerModel) { this.providerModel = providerModel; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public double getEstimatedCostUsd() { return estimatedCostUsd; }
    public void setEstimatedCostUsd(double estimatedCostUsd) { this.estimatedCostUsd = estimatedCostUsd; }
}
