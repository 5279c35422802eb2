package io.darkroom.provider.atlas;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.plan.ModelCatalog;
import io.darkroom.provider.HttpReply;
import io.darkroom.provider.ProviderStep;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Poll answers read as Atlas' own clients read them (docs/providers.md, "Reading results"). */
class AtlasResultReadingTest {

    private final AtlasMapping mapping;

    AtlasResultReadingTest() throws Exception {
        mapping = new AtlasMapping(ModelCatalog.load(Path.of("config/models.yaml")), 1 << 22);
    }

    private ProviderStep poll(String data) {
        Job job = new Job();
        job.setProviderJobId("p1");
        String body = "{\"code\":200,\"message\":\"\",\"data\":" + data + "}";
        return mapping.readPoll(job, new HttpReply(200, body.getBytes(StandardCharsets.UTF_8), name -> null));
    }

    @Test
    void successStatusesAllDeliver() {
        for (String status : List.of("completed", "succeeded", "success")) {
            ProviderStep step = poll("{\"id\":\"p1\",\"status\":\"" + status + "\",\"outputs\":[\"https://x/1.png\"]}");
            assertEquals(ProviderStep.Kind.SUCCEEDED, step.kind(), status);
        }
    }

    @Test
    void outputsAsStringsObjectsOrTheOutputField() {
        assertEquals(List.of("https://x/1.png", "https://x/2.png"),
                poll("{\"status\":\"completed\",\"outputs\":[{\"url\":\"https://x/1.png\"},{\"image\":\"https://x/2.png\"}]}").outputs());
        assertEquals(List.of("https://x/3.png"), poll("{\"status\":\"completed\",\"output\":\"https://x/3.png\"}").outputs());
        assertEquals(List.of("https://x/4.png"), poll("{\"status\":\"completed\",\"output\":[{\"output\":\"https://x/4.png\"}]}").outputs());
    }

    @Test
    void priceIsTheActualCostAndMetricsAreNot() {
        assertEquals(0.04, poll("{\"status\":\"completed\",\"outputs\":[\"https://x/1.png\"],\"price\":0.04}").costUsd());
        assertEquals(null, poll("{\"status\":\"completed\",\"outputs\":[\"https://x/1.png\"],\"metrics\":{\"cost\":9}}").costUsd());
    }

    @Test
    void emptyOutputsWithNsfwFlagsIsModeration() {
        ProviderStep step = poll("{\"status\":\"completed\",\"outputs\":[],\"has_nsfw_contents\":[true]}");
        assertEquals(ErrorCode.MODERATED, step.errorCode());
    }

    @Test
    void anErrorObjectIsReadForItsMessage() {
        ProviderStep step = poll("{\"status\":\"failed\",\"error\":{\"code\":\"X\",\"message\":\"out of memory\"}}");
        assertEquals(ErrorCode.PROVIDER_FAILED, step.errorCode());
        assertTrue(step.message().contains("out of memory"), step.message());
    }
}
