package io.darkroom.provider;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A reference image's bytes, read when the request is built and not kept afterwards. */
public final class ReferenceBytes {

    private ReferenceBytes() {
    }

    public static byte[] read(Reference reference) {
        try {
            return Files.readAllBytes(Path.of(reference.getPath()));
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.REFERENCE_MISSING, "Reference " + reference.getName() + " could not be read any more: "
                    + e.getClass().getSimpleName());
        }
    }

    public static String dataUri(Reference reference) {
        return "data:" + reference.getMimeType() + ";base64," + Base64.getEncoder().encodeToString(read(reference));
    }
}
