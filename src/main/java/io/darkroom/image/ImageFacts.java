package io.darkroom.image;

import java.util.Objects;

/** What {@link ImageInspector} learned about an image file without decoding it. */
public final class ImageFacts {

    private final ImageFormat format;
    private final int width;
    private final int height;
    private final long sizeBytes;
    private final String fileName;

    public ImageFacts(ImageFormat format, int width, int height, long sizeBytes, String fileName) {
        this.format = Objects.requireNonNull(format, "format");
        this.width = width;
        this.height = height;
        this.sizeBytes = sizeBytes;
        this.fileName = Objects.requireNonNull(fileName, "fileName");
    }

    public ImageFormat getFormat() {
        return format;
    }

    public int getWidth() {
        return width;
    }

    public int getHeight() {
        return height;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    /** The file's name only, never its full path. */
    public String getFileName() {
        return fileName;
    }

    @Override
    public String toString() {
        return fileName + " (" + format + " " + width + "x" + height + ", " + sizeBytes + " bytes)";
    }
}
