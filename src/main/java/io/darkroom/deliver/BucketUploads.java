package io.darkroom.deliver;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.JobOutput;
import io.darkroom.s3.S3Connection;
import io.darkroom.s3.S3Location;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of the S3 destination (route deliver-s3): each output, then the manifest, becomes one
 * object under {@code <prefix><job>/}. Every key is noted before its upload, so when any upload
 * fails the job's objects are deleted again and readers never see a job without its manifest.
 */
public class BucketUploads {

    private static final Logger LOG = LoggerFactory.getLogger(BucketUploads.class);
    static final String FOLDER = "s3Folder";
    static final String UPLOADED = "s3Uploaded";

    private final S3Connection s3;

    public BucketUploads(S3Connection s3) {
        this.s3 = s3;
    }

    /** Reads the destination into the bucket (property s3Bucket) and the job's folder in it. */
    public void begin(Exchange exchange) {
        Job job = exchange.getProperty("job", Job.class);
        S3Location folder = S3Location.parse(exchange.getProperty("destination", String.class)).child(job.getId());
        exchange.setProperty("s3Bucket", folder.bucket());
        exchange.setProperty(FOLDER, folder);
        exchange.setProperty(UPLOADED, new ArrayList<String>());
    }

    /** The body is one JobOutput; it becomes the object {@code <folder><file>}. */
    public void output(Exchange exchange) {
        JobOutput output = exchange.getMessage().getBody(JobOutput.class);
        upload(exchange, output.getFileName(), output.getMimeType(), output.getBytes());
    }

    public void manifest(Exchange exchange) {
        Job job = exchange.getProperty("job", Job.class);
        upload(exchange, job.getId() + ".json", "application/json", exchange.getProperty("manifest", byte[].class));
    }

    private static void upload(Exchange exchange, String name, String contentType, byte[] bytes) {
        S3Location folder = exchange.getProperty(FOLDER, S3Location.class);
        uploaded(exchange).add(folder.key(name));
        Message message = exchange.getMessage();
        // headers of an earlier S3 exchange (length, key) must not leak into this upload
        message.removeHeaders("CamelAwsS3*");
        message.setHeader(AWS2S3Constants.KEY, folder.key(name));
        message.setHeader(AWS2S3Constants.CONTENT_TYPE, contentType);
        message.setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) bytes.length);
        message.setBody(bytes);
    }

    /** An upload failed: removes what this job put there, then fails the job naming the destination. */
    public void rollBack(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        S3Location folder = exchange.getProperty(FOLDER, S3Location.class);
        Job job = exchange.getProperty("job", Job.class);
        int removed = 0;
        for (String key : uploaded(exchange)) {
            try {
                s3.client().deleteObject(DeleteObjectRequest.builder().bucket(folder.bucket()).key(key).build());
                removed++;
            } catch (RuntimeException e) {
                LOG.warn("Job {}: {} could not be removed after the failed upload: {}", job.getId(), key, e.toString());
            }
        }
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        throw new JobFailure(ErrorCode.DELIVERY_FAILED, "Uploading the results to " + folder + " failed ("
                + (cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()))
                + "); the " + removed + " object(s) already uploaded for this job were removed.", cause);
    }

    @SuppressWarnings("unchecked")
    private static List<String> uploaded(Exchange exchange) {
        return exchange.getProperty(UPLOADED, List.class);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
