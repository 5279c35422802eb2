package io.darkroom.image;

import java.util.Locale;

/** The image formats Darkroom accepts as references and writes as outputs. */
public enum ImageFormat {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    WEBP("image/webp", "webp");

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /**
     * Maps a format name or file extension ("png", "jpeg", "jpg", "webp", any case) to a format.
     *
     * @return the format, or {@code null} when the name is not one Darkroom knows
     */
    public static ImageFormat fromName(String name) {
        if (name == null) {
            return null;
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "png":
                return PNG;
            case "jpg":
            case "jpeg":
                return JPEG;
            case "webp":
                return WEBP;
            default:
                return null;
        }
    }
}
