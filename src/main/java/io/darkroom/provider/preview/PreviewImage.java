package io.darkroom.provider.preview;

import io.darkroom.image.ImageFormat;
import java.util.Objects;

/** An encoded preview picture and the format its bytes are actually in. */
public final class PreviewImage {

    private final byte[] bytes;
    private final ImageFormat format;

    public PreviewImage(byte[] bytes, ImageFormat format) {
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
        this.format = Objects.requireNonNull(format, "format");
    }

    /** A copy of the encoded image. */
    public byte[] getBytes() {
        return bytes.clone();
    }

    /** The format the bytes are in, which may differ from the one asked for (WebP is written as PNG). */
    public ImageFormat getFormat() {
        return format;
    }

    @Override
    public String toString() {
        return "PreviewImage[" + format + ", " + bytes.length + " bytes]";
    }
}
