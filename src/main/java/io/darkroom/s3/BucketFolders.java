package io.darkroom.s3;

import java.util.Map;

/**
 * Where the S3 intake reads and where its jobs' inputs and results go (darkroom.s3.*). The intake
 * is null unless the S3 intake is enabled; the rest apply to s3:// destinations either way.
 */
public record BucketFolders(S3Location inbox, S3Location outbox, S3Location done, S3Location failed, S3Location held,
                            S3Location intake) {

    /** Results or archived inputs inside the intake prefix would be read again as new jobs: refuse to start. */
    public void checkIntake() {
        if (!S3Location.isBucketName(inbox.bucket())) {
            throw new IllegalArgumentException("darkroom.s3.bucket must name a bucket when darkroom.s3.enabled is true, not '"
                    + inbox.bucket() + "'");
        }
        Map.of("darkroom.s3.done-prefix", done, "darkroom.s3.failed-prefix", failed, "darkroom.s3.held-prefix", held,
                "darkroom.s3.outbox-prefix", outbox).forEach((key, location) -> {
            if (location.overlaps(inbox)) {
                throw new IllegalArgumentException(key + " (" + location + ") overlaps the S3 intake " + inbox
                        + ": what lands there would be read again as new jobs. Use another prefix or bucket.");
            }
        });
    }
}
