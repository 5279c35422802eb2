package io.darkroom.provider;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import io.darkroom.job.Reference;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    /** The reference's file, checked to be still there; its bytes are read as the request is sent. */
    public static File file(Reference reference) {
        Path path = Path.of(reference.getPath());
        if (!Files.isReadable(path)) {
            throw new JobFailure(ErrorCode.REFERENCE_MISSING, "Reference " + reference.getName() + " could not be read any more.");
        }
        return path.toFile();
    }

    /**
     * Writes the reference as a data URI ({@code data:<type>;base64,...}), encoding straight from
     * the file: the image is never held whole, nor as text. {@code out} stays open.
     */
    public static void writeDataUri(Reference reference, OutputStream out) {
        try (InputStream in = Files.newInputStream(Path.of(reference.getPath()))) {
            out.write(("data:" + reference.getMimeType() + ";base64,").getBytes(StandardCharsets.US_ASCII));
            OutputStream base64 = Base64.getEncoder().wrap(new OutputStream() {
                // the encoder closes what it wraps; this lets it finish without closing out
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }
            });
            in.transferTo(base64);
            base64.close(); // writes the final block and its padding
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.REFERENCE_MISSING, "Reference " + reference.getName() + " could not be read any more: "
                    + e.getClass().getSimpleName());
        }
    }

    /** Bytes of {@link #writeDataUri} for a reference of this many bytes, about. */
    public static long dataUriLength(Reference reference) {
        return 64 + (reference.getSizeBytes() + 2) / 3 * 4;
    }
}
