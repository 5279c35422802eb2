package io.darkroom.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/** One model of the catalog (config/models.yaml): its limits, its price and its id at each provider. */
public class ModelSpec {
    private String id;
    private String label;
    private int minReferences;
    private int maxReferences;
    private boolean textOnly;
    private double priceUsd;
    private Map<String, ProviderModel> providers = new LinkedHashMap<>();

    /** How one provider names this model and where it expects the reference images. */
    public static class ProviderModel {
        private String model;
        /** images (array), image (single string), or none for text-only models. */
        private String referenceField = "images";

        public String getModel() { return model; }
        public void setModel(String model) { this.model = model; }
        public String getReferenceField() { return referenceField; }
        public void setReferenceField(String referenceField) { this.referenceField = referenceField; }
    }

    /** Null when the model fits this many references, else the reason it does not. */
    public String limitProblem(int references) {
        if (textOnly && references > 0) {
            return label + " takes no reference images (text only), but the job has " + references;
        }
        if (references > maxReferences && !textOnly) {
            return label + " takes at most " + maxReferences + " reference images, but the job has " + references;
        }
        if (references < minReferences) {
            return label + " needs at least " + minReferences + " reference image(s), but the job has " + references;
        }
        return null;
    }

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getLabel() { return label == null ? id : label; }
    public void setLabel(String label) { this.label = label; }
    public int getMinReferences() { return minReferences; }
    public void setMinReferences(int minReferences) { this.minReferences = minReferences; }
    public int getMaxReferences() { return maxReferences; }
    public void setMaxReferences(int maxReferences) { this.maxReferences = maxReferences; }
    public boolean isTextOnly() { return textOnly; }
    public void setTextOnly(boolean textOnly) { this.textOnly = textOnly; }
    public double getPriceUsd() { return priceUsd; }
    public void setPriceUsd(double priceUsd) { this.priceUsd = priceUsd; }
    public Map<String, ProviderModel> getProviders() { return providers; }
    public void setProviders(Map<String, ProviderModel> providers) { this.providers = providers; }
}
