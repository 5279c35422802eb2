package io.darkroom.deliver;

import io.darkroom.image.ImageFormat;
import io.darkroom.image.ImageInspector;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.JobOutput;
import org.apache.camel.Handler;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names each downloaded output after its job ({@code <job>-<n>.<ext>}, the extension from the
 * bytes, not from what was asked for) and records its size and SHA-256 for the manifest.
 */
public class OutputFiles {

    @Handler
    public Job describe(Job job) {
        for (JobOutput output : job.getOutputs()) {
            byte[] bytes = output.getBytes();
            ImageFormat format = ImageInspector.sniff(bytes);
            if (format == null) {
                throw new JobFailure(ErrorCode.PROVIDER_PROTOCOL, "Output " + output.getIndex() + " of job " + job.getId()
                        + " is not a PNG, JPEG or WebP image (" + bytes.length + " bytes).");
            }
            output.setExtension(format.extension());
            output.setMimeType(format.mimeType());
            output.setFileName(job.getId() + "-" + output.getIndex() + "." + format.extension());
            output.setSizeBytes(bytes.length);
            output.setSha256(sha256(bytes));
        }
        return job;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
