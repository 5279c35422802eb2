package io.darkroom.plan;

import io.darkroom.job.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The use-case table of config/routing.yaml, with the settings of the {@code auto} choice. */
public class RoutingTable {
    private AutoRules auto = new AutoRules();
    private Map<String, UseCaseRoute> useCases = new LinkedHashMap<>();

    /** How {@code useCase: auto} decides (README, "Use cases and models"). */
    public static class AutoRules {
        /** More variants than this, with references, go to the variants use case. */
        private int variantsThreshold = 4;
        private List<String> characterPhrases = new ArrayList<>(List.of("same character"));

        public int getVariantsThreshold() { return variantsThreshold; }
        public void setVariantsThreshold(int variantsThreshold) { this.variantsThreshold = variantsThreshold; }
        public List<String> getCharacterPhrases() { return characterPhrases; }
        public void setCharacterPhrases(List<String> characterPhrases) { this.characterPhrases = characterPhrases; }
    }

    public static RoutingTable load(Path file) throws IOException {
        return Json.strictYaml(RoutingTable.class).readValue(file.toFile());
    }

    public UseCaseRoute route(String useCase) {
        return useCases.get(useCase);
    }

    public AutoRules getAuto() { return auto; }
    public void setAuto(AutoRules auto) { this.auto = auto; }
    public Map<String, UseCaseRoute> getUseCases() { return useCases; }
    public void setUseCases(Map<String, UseCaseRoute> useCases) { this.useCases = useCases; }
}
