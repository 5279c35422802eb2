package io.darkroom.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user asked for: the fields of a structured ticket (README, "Tickets"). A plain-text
 * ticket fills only {@code prompt}. Unknown fields are rejected when the ticket is read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Ticket {
    private String prompt;
    private List<String> references;
    private String useCase;
    private String model;
    private String size;
    private String aspectRatio;
    private Integer variants;
    private String outputFormat;
    private Long seed;
    private String text;
    private Double budgetUsd;
    private List<String> destinations;
    private Map<String, Object> metadata;
    private Boolean rerun;

    /** Fields set here win; fields left null are taken from {@code defaults}. */
    public Ticket withDefaults(Ticket defaults) {
        if (defaults == null) {
            return this;
        }
        Ticket merged = new Ticket();
        merged.prompt = prompt != null ? prompt : defaults.prompt;
        merged.references = references != null ? references : null;
        merged.useCase = useCase != null ? useCase : defaults.useCase;
        merged.model = model != null ? model : defaults.model;
        merged.size = size != null ? size : defaults.size;
        merged.aspectRatio = aspectRatio != null ? aspectRatio : defaults.aspectRatio;
        merged.variants = variants != null ? variants : defaults.variants;
        merged.outputFormat = outputFormat != null ? outputFormat : defaults.outputFormat;
        merged.seed = seed != null ? seed : defaults.seed;
        merged.text = text != null ? text : defaults.text;
        merged.budgetUsd = budgetUsd != null ? budgetUsd : defaults.budgetUsd;
        merged.destinations = destinations != null ? destinations : defaults.destinations;
        Map<String, Object> meta = new LinkedHashMap<>();
        if (defaults.metadata != null) {
            meta.putAll(defaults.metadata);
        }
        if (metadata != null) {
            meta.putAll(metadata);
        }
        merged.metadata = meta.isEmpty() ? null : meta;
        merged.rerun = rerun;
        return merged;
    }

    public String getPrompt() { return prompt; }
    public void setPrompt(String prompt) { this.prompt = prompt; }
    public List<String> getReferences() { return references; }
    public void setReferences(List<String> references) { this.references = references == null ? null : new ArrayList<>(references); }
    public String getUseCase() { return useCase; }
    public void setUseCase(String useCase) { this.useCase = useCase; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public String getSize() { return size; }
    public void setSize(String size) { this.size = size; }
    public String getAspectRatio() { return aspectRatio; }
    public void setAspectRatio(String aspectRatio) { this.aspectRatio = aspectRatio; }
    public Integer getVariants() { return variants; }
    public void setVariants(Integer variants) { this.variants = variants; }
    public String getOutputFormat() { return outputFormat; }
    public void setOutputFormat(String outputFormat) { this.outputFormat = outputFormat; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
    public Double getBudgetUsd() { return budgetUsd; }
    public void setBudgetUsd(Double budgetUsd) { this.budgetUsd = budgetUsd; }
    public List<String> getDestinations() { return destinations; }
    public void setDestinations(List<String> destinations) { this.destinations = destinations; }
    public Map<String, Object> getMetadata() { return metadata; }
    public void setMetadata(Map<String, Object> metadata) { this.metadata = metadata; }
    public Boolean getRerun() { return rerun; }
    public void setRerun(Boolean rerun) { this.rerun = rerun; }

    public int variantCount() {
        return variants == null ? 1 : variants;
    }

    public boolean wantsRerun() {
        return Boolean.TRUE.equals(rerun);
    }
}
