package io.darkroom.job;

/** One reference image of a job, as checked at intake. */
public class Reference {
    private String name;
    private String path;
    private String format;
    private String mimeType;
    private int width;
    private int height;
    private long sizeBytes;
    /** Where the provider holds a copy after an upload, used instead of sending the bytes inline. */
    private String uploadedUrl;

    public Reference() {
    }

    public Reference(String name, String path) {
        this.name = name;
        this.path = path;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public String getFormat() { return format; }
    public void setFormat(String format) { this.format = format; }
    public String getMimeType() { return mimeType; }
    public void setMimeType(String mimeType) { this.mimeType = mimeType; }
    public int getWidth() { return width; }
    public void setWidth(int width) { this.width = width; }
    public int getHeight() { return height; }
    public void setHeight(int height) { this.height = height; }
    public long getSizeBytes() { return sizeBytes; }
    public void setSizeBytes(long sizeBytes) { this.sizeBytes = sizeBytes; }
    public String getUploadedUrl() { return uploadedUrl; }
    public void setUploadedUrl(String uploadedUrl) { this.uploadedUrl = uploadedUrl; }
}
