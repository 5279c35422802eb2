package io.darkroom.provider.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.RoutingTable;
import io.darkroom.provider.atlas.AtlasSchemaSource;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `darkroom models` compares config/models.yaml with the schemas Atlas publishes, and exits non-zero on drift. */
class ModelsCommandTest {

    @RegisterExtension
    static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> { });

    @TempDir
    Path data;

    private String run(int expectedExit) throws Exception {
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models.yaml"));
        String url = simulator.get().baseUrl();
        ModelsCommand command = new ModelsCommand(catalog, RoutingTable.load(Path.of("config/routing.yaml")),
                AtlasSchemaSource.schemas(catalog, url, data, 60_000, Clock.systemUTC()), url);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, out);
        return out;
    }

    @Test
    void theCatalogAgreesWithTheLiveSchemas() throws Exception {
        String out = run(ModelsCommand.AGREES);
        for (String id : new String[]{"google/imagen4-ultra", "z-image/turbo", "google/nano-banana-2/edit", "black-forest-labs/flux-2-pro/edit",
                "bytedance/seedream-v5.0-lite/edit", "bytedance/seedream-v5.0-lite/edit-sequential", "openai/gpt-image-2/edit"}) {
            assertTrue(out.contains("agrees " + id), id + "\n" + out);
        }
        assertTrue(out.contains("hero"), "use cases listed:\n" + out);
        assertTrue(out.contains("settled from the schema"), "the Seedream image/images conflict is noted:\n" + out);
    }

    @Test
    void aRenamedFieldAndANarrowedEnumAreDrift() throws Exception {
        simulator.get().changeSchema("google/imagen4-ultra", input -> {
            ObjectNode properties = (ObjectNode) input.get("properties");
            properties.set("negativePrompt", properties.remove("negative_prompt"));
        });
        simulator.get().changeSchema("google/nano-banana-2/edit", input -> {
            ArrayNode ratios = (ArrayNode) input.at("/properties/aspect_ratio/enum");
            ratios.removeAll();
            ratios.add("1:1").add("4:3").add("3:4");
        });
        String out = run(ModelsCommand.DRIFT);
        assertTrue(out.contains("DRIFT  google/imagen4-ultra"), out);
        assertTrue(out.contains("'negative_prompt' is not in the schema"), out);
        assertTrue(out.contains("DRIFT  google/nano-banana-2/edit"), out);
        assertTrue(out.contains("'aspect_ratio' no longer allows [3:2, 2:3, 4:5, 5:4, 9:16, 16:9, 21:9]"), out);
        assertTrue(out.contains("agrees z-image/turbo"), out);
    }

    @Test
    void anUnreachableProviderIsSaidAndNotCalledAgreement() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models.yaml"));
        String url = "http://127.0.0.1:1/api/v1";
        ModelsCommand command = new ModelsCommand(catalog, RoutingTable.load(Path.of("config/routing.yaml")),
                AtlasSchemaSource.schemas(catalog, url, data, 60_000, Clock.systemUTC()), url);
        assertEquals(ModelsCommand.UNREACHABLE, command.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }
}
