package io.darkroom.deliver;

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
            String[] type = sniff(bytes);
            if (type == null) {
                throw new JobFailure(ErrorCode.PROVIDER_PROTOCOL, "Output " + output.getIndex() + " of job " + job.getId()
                        + " is not a PNG, JPEG or WebP image (" + bytes.length + " bytes).");
            }
            output.setExtension(type[0]);
            output.setMimeType(type[1]);
            output.setFileName(job.getId() + "-" + output.getIndex() + "." + type[0]);
            output.setSizeBytes(bytes.length);
            output.setSha256(sha256(bytes));
        }
        return job;
    }

    private static String[] sniff(byte[] b) {
        if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return new String[]{"png", "image/png"};
        }
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return new String[]{"jpg", "image/jpeg"};
        }
        if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return new String[]{"webp", "image/webp"};
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
