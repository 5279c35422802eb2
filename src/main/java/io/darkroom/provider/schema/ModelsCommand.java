package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.ModelSpec;
import io.darkroom.plan.RoutingTable;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code darkroom models}: the catalog (use cases, model, provider ids, price, reference limits) and,
 * for every Atlas model, whether Atlas' live schema still agrees with config/models.yaml field by
 * field. How a user learns, before a batch, that a provider changed a model.
 */
public class ModelsCommand {

    /** Every model agrees with its live schema. */
    public static final int AGREES = 0;
    /** At least one model's live schema no longer takes what Darkroom sends. */
    public static final int DRIFT = 1;
    /** The provider's model list could not be read, so nothing could be compared. */
    public static final int UNREACHABLE = 2;

    private final ModelCatalog catalog;
    private final RoutingTable routing;
    private final ModelSchemas atlas;
    private final String atlasUrl;

    public ModelsCommand(ModelCatalog catalog, RoutingTable routing, ModelSchemas atlas, String atlasUrl) {
        this.catalog = catalog;
        this.routing = routing;
        this.atlas = atlas;
        this.atlasUrl = atlasUrl;
    }

    /** The command as `darkroom models` runs it: the catalog, the routing table and Atlas' settings from config/. */
    public static ModelsCommand fromConfig(String propertiesLocation) throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(propertiesLocation);
            org.apache.camel.spi.PropertiesComponent properties = context.getPropertiesComponent();
            ModelCatalog catalog = ModelCatalog.load(java.nio.file.Path.of("config/models.yaml"));
            String atlasUrl = properties.resolveProperty("darkroom.providers.atlas.base-url").orElseThrow();
            java.nio.file.Path data = java.nio.file.Path.of(properties.resolveProperty("darkroom.data").orElse("data")).toAbsolutePath();
            long ttl = org.apache.camel.util.TimeUtils.toMilliSeconds(properties.resolveProperty("darkroom.providers.atlas.schema-ttl").orElse("6h"));
            return new ModelsCommand(catalog, RoutingTable.load(java.nio.file.Path.of("config/routing.yaml")),
                    io.darkroom.provider.atlas.AtlasSchemaSource.schemas(catalog, atlasUrl, data, ttl, java.time.Clock.systemUTC()), atlasUrl);
        }
    }

    /** Prints the report and returns the exit code. */
    public int run(PrintStream out) {
        out.printf("%-30s %-18s %-9s %-5s %s%n", "MODEL", "USE CASES", "USD/IMAGE", "REFS", "PROVIDER IDS");
        for (ModelSpec model : catalog.all()) {
            List<String> ids = new ArrayList<>();
            model.getProviders().forEach((provider, entry) -> {
                for (ModelSpec.ProviderModel m = entry; m != null; m = m.getVariants()) {
                    ids.add(provider + ":" + m.getModel());
                }
            });
            out.printf("%-30s %-18s %-9.3f %-5s %s%n", model.getId(), useCases(model.getId()), model.getPriceUsd(),
                    model.isTextOnly() ? "none" : model.getMinReferences() + "-" + model.getMaxReferences(), String.join(", ", ids));
        }
        out.println();
        ObjectNode live = atlas.fetchLive();
        if (live == null) {
            out.println("Atlas Cloud's model list at " + atlasUrl + "/models could not be read: nothing was compared.");
            return UNREACHABLE;
        }
        boolean drift = false;
        out.println("Atlas Cloud's live schemas (" + atlasUrl + "/models) against config/models.yaml:");
        for (ModelSpec model : catalog.all()) {
            for (ModelSpec.ProviderModel spec = model.getProviders().get("atlas"); spec != null; spec = spec.getVariants()) {
                JsonNode input = live.path("models").get(spec.getModel());
                if (input == null || input.isNull()) {
                    out.println("  DRIFT  " + spec.getModel() + ": not in Atlas' model list (or it publishes no schema)");
                    drift = true;
                    continue;
                }
                SpecDrift.Report report = SpecDrift.compare(spec, input);
                out.println((report.drift().isEmpty() ? "  agrees " : "  DRIFT  ") + spec.getModel());
                report.drift().forEach(d -> out.println("           - " + d));
                report.notes().forEach(n -> out.println("           note: " + n));
                drift |= !report.drift().isEmpty();
            }
        }
        out.println(drift ? "Drift found: jobs for the models marked DRIFT will fail with MODEL_SCHEMA before any spend until "
                + "config/models.yaml is updated." : "Every Atlas model agrees with its live schema.");
        return drift ? DRIFT : AGREES;
    }

    private String useCases(String model) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, io.darkroom.plan.UseCaseRoute> row : routing.getUseCases().entrySet()) {
            if (model.equals(row.getValue().getModel())) {
                names.add(row.getKey());
            } else if (model.equals(row.getValue().getFallback())) {
                names.add("(" + row.getKey() + ")");
            }
        }
        return names.isEmpty() ? "-" : String.join(",", names);
    }
}
