package io.darkroom.observe;

import io.darkroom.s3.S3Location;
import org.apache.camel.health.HealthCheckResultBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.util.Map;
import java.util.function.Supplier;

/** The S3 intake: its prefix can be listed with the configured credentials. */
public class BucketHealthCheck extends ReadinessCheck {

    private final Supplier<S3Client> client;
    private final S3Location intake;

    public BucketHealthCheck(Supplier<S3Client> client, S3Location intake) {
        super("bucket");
        this.client = client;
        this.intake = intake;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("bucket", intake.toString());
        try {
            client.get().listObjectsV2(ListObjectsV2Request.builder().bucket(intake.bucket()).prefix(intake.prefix()).maxKeys(1).build());
            builder.up();
        } catch (RuntimeException e) {
            builder.message("cannot list " + intake + ": " + e.getMessage()).down();
        }
    }
}
