package io.darkroom.job;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One result image. The bytes live only in memory between download and delivery; the ledger keeps
 * the provider's location ({@code source}) so an undelivered result can be fetched again.
 */
public class JobOutput {
    private int index;
    private String source;
    private String fileName;
    private String extension;
    private String mimeType;
    private long sizeBytes;
    private String sha256;
    @JsonIgnore
    private byte[] bytes;

    public JobOutput() {
    }

    public JobOutput(int index, String source) {
        this.index = index;
        this.source = source;
    }

    public int getIndex() { return index; }
    public void setIndex(int index) { this.index = index; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public String getFileName() { return fileName; }
    public void setFileName(String fileName) { this.fileName = fileName; }
    public String getExtension() { return extension; }
    public void setExtension(String extension) { this.extension = extension; }
    public String getMimeType() { return mimeType; }
    public void setMimeType(String mimeType) { this.mimeType = mimeType; }
    public long getSizeBytes() { return sizeBytes; }
    public void setSizeBytes(long sizeBytes) { this.sizeBytes = sizeBytes; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    @JsonIgnore
    public byte[] getBytes() { return bytes; }
    @JsonIgnore
    public void setBytes(byte[] bytes) { this.bytes = bytes; }
    @JsonIgnore
    public boolean isFetched() { return bytes != null; }
}
