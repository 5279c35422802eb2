package io.darkroom.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of the catalog (config/models.yaml): its limits, its price and, per provider, the exact
 * request that provider's model takes (docs/providers.md gives the source of each fact).
 */
public class ModelSpec {
    private String id;
    private String label;
    private int minReferences;
    private int maxReferences;
    private boolean textOnly;
    private double priceUsd;
    private Map<String, ProviderModel> providers = new LinkedHashMap<>();

    /** How one provider names this model and what its request carries. */
    public static class ProviderModel {
        private String model;
        private References references = new References();
        private SizeForm size = new SizeForm();
        private Outputs outputs = new Outputs();
        private Options options = new Options();
        /** Fields sent as-is with every request (for example enable_base64_output: false). */
        private Map<String, Object> fixed = new LinkedHashMap<>();
        /** The provider model that runs a job asking for more than one output, when it is another one. */
        private ProviderModel variants;

        /** The provider model that runs a job asking for this many outputs. */
        public ProviderModel forOutputs(int count) {
            return count > 1 && variants != null ? variants : this;
        }

        /** This provider model or its variants model, by provider model id. */
        public ProviderModel byModelId(String providerModel) {
            if (variants != null && variants.getModel().equals(providerModel)) {
                return variants;
            }
            return this;
        }

        public String getModel() { return model; }
        public void setModel(String model) { this.model = model; }
        public References getReferences() { return references; }
        public void setReferences(References references) { this.references = references; }
        public SizeForm getSize() { return size; }
        public void setSize(SizeForm size) { this.size = size; }
        public Outputs getOutputs() { return outputs; }
        public void setOutputs(Outputs outputs) { this.outputs = outputs; }
        public Options getOptions() { return options; }
        public void setOptions(Options options) { this.options = options; }
        public Map<String, Object> getFixed() { return fixed; }
        public void setFixed(Map<String, Object> fixed) { this.fixed = fixed; }
        public ProviderModel getVariants() { return variants; }
        public void setVariants(ProviderModel variants) { this.variants = variants; }
    }

    /** Where reference images travel: a field holding an array of strings, or one string; none for text only. */
    public static class References {
        private String field;
        private boolean array = true;
        private int min;
        private int max;

        public boolean isNone() { return field == null || field.equals("none"); }
        public String getField() { return field; }
        public void setField(String field) { this.field = field; }
        public boolean isArray() { return array; }
        public void setArray(boolean array) { this.array = array; }
        public int getMin() { return min; }
        public void setMin(int min) { this.min = min; }
        public int getMax() { return max; }
        public void setMax(int max) { this.max = max; }
    }

    /**
     * The size form a model takes: {@code none}; {@code sides} ("W*H" with each side in a range, in
     * steps); {@code pixels} ("WxH" within pixel, side and ratio limits, sides multiples of a step);
     * {@code ratio} (one listed aspect ratio, with an optional resolution tier); {@code presets}
     * (one listed "W*H").
     */
    public static class SizeForm {
        private String form = "none";
        private String field = "size";
        private String separator = "*";
        private int minSide;
        private int maxSide;
        private int step = 1;
        private long minPixels;
        private long maxPixels;
        private double maxRatio;
        private List<String> ratios = new ArrayList<>();
        private String resolutionField;
        private List<String> resolutions = new ArrayList<>();
        private List<String> presets = new ArrayList<>();

        public String getForm() { return form; }
        public void setForm(String form) { this.form = form; }
        public String getField() { return field; }
        public void setField(String field) { this.field = field; }
        public String getSeparator() { return separator; }
        public void setSeparator(String separator) { this.separator = separator; }
        public int getMinSide() { return minSide; }
        public void setMinSide(int minSide) { this.minSide = minSide; }
        public int getMaxSide() { return maxSide; }
        public void setMaxSide(int maxSide) { this.maxSide = maxSide; }
        public int getStep() { return step; }
        public void setStep(int step) { this.step = step; }
        public long getMinPixels() { return minPixels; }
        public void setMinPixels(long minPixels) { this.minPixels = minPixels; }
        public long getMaxPixels() { return maxPixels; }
        public void setMaxPixels(long maxPixels) { this.maxPixels = maxPixels; }
        public double getMaxRatio() { return maxRatio; }
        public void setMaxRatio(double maxRatio) { this.maxRatio = maxRatio; }
        public List<String> getRatios() { return ratios; }
        public void setRatios(List<String> ratios) { this.ratios = ratios; }
        public String getResolutionField() { return resolutionField; }
        public void setResolutionField(String resolutionField) { this.resolutionField = resolutionField; }
        public List<String> getResolutions() { return resolutions; }
        public void setResolutions(List<String> resolutions) { this.resolutions = resolutions; }
        public List<String> getPresets() { return presets; }
        public void setPresets(List<String> presets) { this.presets = presets; }
    }

    /** How many outputs one call can return, and through which field (none: one per call). */
    public static class Outputs {
        private String field;
        private int max = 1;

        public String getField() { return field; }
        public void setField(String field) { this.field = field; }
        public int getMax() { return max; }
        public void setMax(int max) { this.max = max; }
    }

    /** Optional fields the model takes, each named as the provider names it (absent: not sent). */
    public static class Options {
        private String seed;
        private String outputFormat;
        private List<String> outputFormats = new ArrayList<>();
        private String quality;
        private String negativePrompt;
        private String safetyTolerance;

        public String getSeed() { return seed; }
        public void setSeed(String seed) { this.seed = seed; }
        public String getOutputFormat() { return outputFormat; }
        public void setOutputFormat(String outputFormat) { this.outputFormat = outputFormat; }
        public List<String> getOutputFormats() { return outputFormats; }
        public void setOutputFormats(List<String> outputFormats) { this.outputFormats = outputFormats; }
        public String getQuality() { return quality; }
        public void setQuality(String quality) { this.quality = quality; }
        public String getNegativePrompt() { return negativePrompt; }
        public void setNegativePrompt(String negativePrompt) { this.negativePrompt = negativePrompt; }
        public String getSafetyTolerance() { return safetyTolerance; }
        public void setSafetyTolerance(String safetyTolerance) { this.safetyTolerance = safetyTolerance; }
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

    /** This model's entry for a provider and a provider model id (the variants model included). */
    public ProviderModel providerModel(String provider, String providerModelId) {
        ProviderModel entry = providers.get(provider);
        return entry == null ? null : entry.byModelId(providerModelId);
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
