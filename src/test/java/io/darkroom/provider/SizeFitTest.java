package io.darkroom.provider;

import io.darkroom.plan.ModelCatalog;
import io.darkroom.plan.ModelSpec;
import io.darkroom.ticket.Ticket;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The size-fitting rule of docs/providers.md, on the size forms of config/models.yaml. */
class SizeFitTest {

    private final ModelCatalog catalog;

    SizeFitTest() throws Exception {
        catalog = ModelCatalog.load(Path.of("config/models.yaml"));
    }

    private Map<String, Object> fit(String model, String provider, String size, String aspectRatio) {
        Ticket ticket = new Ticket();
        ticket.setSize(size);
        ticket.setAspectRatio(aspectRatio);
        ModelSpec.ProviderModel spec = catalog.find(model).getProviders().get(provider);
        return SizeFit.fit(ticket, spec.getSize()).fields();
    }

    @Test
    void ratioListsTakeTheNearestRatioAndAResolutionThatHoldsTheLongSide() {
        assertEquals(Map.of("aspect_ratio", "16:9", "resolution", "2k"), fit("google/nano-banana-2", "atlas", "1200x628", null));
        assertEquals(Map.of("aspect_ratio", "21:9", "resolution", "4k"), fit("google/nano-banana-2", "atlas", "3000x1200", null));
        assertEquals(Map.of("aspect_ratio", "3:4"), fit("google/imagen-4-ultra", "atlas", null, "4:5"));
    }

    @Test
    void sideRangesKeepTheRatioAndScaleIntoRange() {
        assertEquals(Map.of("size", "1200*628"), fit("black-forest-labs/flux-2-pro", "atlas", "1200x628", null));
        assertEquals(Map.of("size", "2048*1024"), fit("black-forest-labs/flux-2-pro", "atlas", "4096x2048", null));
        assertEquals(Map.of("size", "1957*1024"), fit("bytedance/seedream-v5.0-lite", "atlas", "1200x628", null));
        assertEquals(Map.of("size", "1216*640"), fit("z-image/turbo", "atlas", "1200x628", null));
    }

    @Test
    void pixelLimitsScaleToTheNearestAllowedArea() {
        assertEquals(Map.of("size", "816x816"), fit("openai/gpt-image-2", "openai", "512x512", null));
        assertEquals(Map.of("size", "1200x624"), fit("openai/gpt-image-2", "openai", "1200x628", null));
        assertEquals(Map.of("size", "1488x496"), fit("openai/gpt-image-2", "openai", "4000x500", null)); // cut to 3:1 first
        assertEquals(Map.of("size", "3840x2160"), fit("openai/gpt-image-2", "openai", "7680x4320", null));
    }

    @Test
    void presetsTakeTheNearestRatioThenArea() {
        ModelSpec.ProviderModel sequential = catalog.find("bytedance/seedream-v5.0-lite").getProviders().get("atlas").getVariants();
        Ticket ticket = new Ticket();
        ticket.setAspectRatio("16:9");
        assertEquals(Map.of("size", "2848*1600"), SizeFit.fit(ticket, sequential.getSize()).fields());
        ticket.setAspectRatio(null);
        ticket.setSize("1024x1024");
        assertEquals(Map.of("size", "2048*2048"), SizeFit.fit(ticket, sequential.getSize()).fields());
    }
}
