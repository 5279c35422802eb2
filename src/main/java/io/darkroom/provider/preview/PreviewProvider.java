package io.darkroom.provider.preview;

import io.darkroom.image.ImageFormat;
import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.job.JobState;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.Handler;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline provider: no network, no spend. Each variant is the first reference with a PREVIEW
 * mark and a caption naming the model that would have run, so the whole pipeline can be seen
 * working before any key is configured.
 */
public class PreviewProvider {

    private final PreviewRenderer renderer;
    private final JobLedger ledger;
    private final Clock clock;

    public PreviewProvider(PreviewRenderer renderer, JobLedger ledger, Clock clock) {
        this.renderer = renderer;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Handler
    public Job run(Job job) {
        Path reference = job.getReferences().isEmpty() ? null : Path.of(job.getReferences().get(0).getPath());
        ImageFormat wanted = ImageFormat.fromName(job.getTicket().getOutputFormat());
        int count = job.getTicket().variantCount();
        List<JobOutput> outputs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            PreviewCaption caption = new PreviewCaption(job.getPlan().getModel(), job.getTicket().getPrompt(),
                    job.getPlan().getEstimatedCostUsd(), i, count);
            PreviewImage image = renderer.render(reference, caption, wanted == null ? ImageFormat.PNG : wanted);
            JobOutput output = new JobOutput(i, "preview");
            output.setBytes(image.getBytes());
            outputs.add(output);
        }
        String now = Instant.now(clock).toString();
        job.setOutputs(outputs);
        job.setSubmittedAt(now);
        job.setCompletedAt(now);
        job.setActualCostUsd(0.0);
        ledger.transition(job, JobState.COMPLETED);
        return job;
    }
}
