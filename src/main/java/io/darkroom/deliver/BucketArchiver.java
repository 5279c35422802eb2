package io.darkroom.deliver;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.darkroom.job.Job;
import io.darkroom.job.JobState;
import io.darkroom.job.Json;
import io.darkroom.s3.BucketStaging;
import io.darkroom.s3.S3Connection;
import io.darkroom.s3.S3Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the objects of a job from the S3 intake away once its outcome is durable: copied to the
 * done, failed or held location (keeping their path below the intake prefix) and then deleted from
 * the intake, with {@code <ticket>.error.json} beside failed ones. The copy is made on the server,
 * so object bodies never pass through Darkroom. A key already taken gets the job id added.
 */
public class BucketArchiver implements SourceArchiver {

    private static final Logger LOG = LoggerFactory.getLogger(BucketArchiver.class);
    private static final int PRECONDITION_FAILED = 412;

    private final S3Connection s3;
    private final S3Location intake;
    private final Map<String, S3Location> outcomes = new LinkedHashMap<>();
    private final BucketStaging staging;
    private final ObjectWriter json = Json.pretty();

    private final Clock clock;

    public BucketArchiver(S3Connection s3, S3Location intake, S3Location done, S3Location failed, S3Location held, BucketStaging staging,
                          Clock clock) {
        this.s3 = s3;
        this.clock = clock;
        this.intake = intake;
        this.staging = staging;
        outcomes.put("done", done);
        outcomes.put("failed", failed);
        outcomes.put("held", held);
    }

    @Override
    public void done(Job job) throws Exception {
        move(job, "done");
        staging.remove(job.getInputs());
    }

    @Override
    public void failed(Job job) throws Exception {
        String outcome = job.getState() == JobState.HELD ? "held" : "failed";
        S3Location folder = move(job, outcome);
        put(folder, documentName(job) + ".error.json", json.writeValueAsBytes(InputArchiver.errorDocument(job, Instant.now(clock))));
        staging.remove(job.getInputs());
    }

    @Override
    public void note(Job job, String outcome, Map<String, Object> note) throws Exception {
        S3Location folder = move(job, outcome);
        put(folder, (job.getTicketName() != null ? job.getTicketName() : job.getId()) + ".note.json", json.writeValueAsBytes(note));
        staging.remove(job.getInputs());
    }

    private static String documentName(Job job) {
        if (job.getTicketName() != null) {
            return job.getTicketName();
        }
        return job.getInputs().isEmpty() ? job.getId() : Path.of(job.getInputs().get(0)).getFileName().toString();
    }

    /** Moves every input object; answers the location of the job's folder there. */
    private S3Location move(Job job, String outcome) {
        String bucket = job.getOrigin().getOrDefault("bucket", intake.bucket());
        S3Location target = outcomes.get(outcome);
        S3Location folder = job.getSourceFolder().isEmpty() ? target : target.child(job.getSourceFolder());
        S3Client client = s3.client();
        List<String> moved = new ArrayList<>();
        for (String input : job.getInputs()) {
            String key = staging.keyOf(bucket, Path.of(input));
            String etag = job.getOrigin().get("etag:" + key);
            String targetKey = target.key(key.substring(intake.prefix().length()));
            if (exists(client, target.bucket(), targetKey)) {
                targetKey = withJobId(targetKey, job.getId());
            }
            try {
                CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                        .sourceBucket(bucket).sourceKey(key)
                        .destinationBucket(target.bucket()).destinationKey(targetKey);
                if (etag != null) {
                    copy.copySourceIfMatch(etag);
                }
                client.copyObject(copy.build());
            } catch (NoSuchKeyException gone) {
                LOG.info("Job {}: {} is no longer in the bucket; nothing to move", job.getId(), key);
                continue;
            } catch (S3Exception e) {
                if (e.statusCode() == PRECONDITION_FAILED) {
                    // a new upload under the same key is a new job: leave it for the next scan
                    LOG.info("Job {}: {} was replaced while the job ran; the new object stays in the intake", job.getId(), key);
                    continue;
                }
                throw e;
            }
            client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
            moved.add(key.substring(key.lastIndexOf('/') + 1));
        }
        LOG.info("Job {}: objects {} moved to {}", job.getId(), moved, folder);
        return folder;
    }

    private void put(S3Location folder, String name, byte[] body) {
        s3.client().putObject(PutObjectRequest.builder().bucket(folder.bucket()).key(folder.key(name)).contentType("application/json").build(),
                RequestBody.fromBytes(body));
    }

    private static boolean exists(S3Client client, String bucket, String key) {
        try {
            client.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String withJobId(String key, String jobId) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash + 1 ? key.substring(0, dot) + "." + jobId + key.substring(dot) : key + "." + jobId;
    }
}
