package io.darkroom.provider.preview;

import java.util.Objects;

/** What a preview says about the call it stands in for: which model, what prompt, what cost, which variant. */
public final class PreviewCaption {

    private final String modelId;
    private final String prompt;
    private final double estimatedCostUsd;
    private final int variantIndex;
    private final int variantCount;

    /**
     * @param variantIndex 1-based position of this variant among {@code variantCount}
     */
    public PreviewCaption(String modelId, String prompt, double estimatedCostUsd, int variantIndex, int variantCount) {
        if (variantCount < 1 || variantIndex < 1 || variantIndex > variantCount) {
            throw new IllegalArgumentException("variant " + variantIndex + " of " + variantCount + " is not a valid position");
        }
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.prompt = prompt == null ? "" : prompt;
        this.estimatedCostUsd = estimatedCostUsd;
        this.variantIndex = variantIndex;
        this.variantCount = variantCount;
    }

    public String getModelId() {
        return modelId;
    }

    public String getPrompt() {
        return prompt;
    }

    public double getEstimatedCostUsd() {
        return estimatedCostUsd;
    }

    /** 1-based. */
    public int getVariantIndex() {
        return variantIndex;
    }

    public int getVariantCount() {
        return variantCount;
    }

    @Override
    public String toString() {
        return "PreviewCaption[" + modelId + ", variant " + variantIndex + " of " + variantCount
                + ", est. $" + estimatedCostUsd + "]";
    }
}
