package io.darkroom.job;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One result image. Once downloaded it is kept on disk under the data folder ({@code keptPath},
 * recorded in the ledger) until every destination has it, so a result that was paid for is never
 * lost to a destination that cannot be written; the bytes are read back from there when needed.
 */
public class JobOutput {
    private int index;
    private String source;
    private String fileName;
    private String extension;
    private String mimeType;
    private long sizeBytes;
    private String sha256;
    /** Where the downloaded result is kept until every destination has it; null before download. */
    private String keptPath;
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
    public String getKeptPath() { return keptPath; }
    public void setKeptPath(String keptPath) { this.keptPath = keptPath; }

    /** The result's bytes: in memory right after download, else read back from where it is kept. */
    @JsonIgnore
    public byte[] getBytes() {
        if (bytes == null && keptPath != null) {
            try {
                return Files.readAllBytes(Path.of(keptPath));
            } catch (IOException e) {
                throw new UncheckedIOException("kept output " + keptPath + " cannot be read", e);
            }
        }
        return bytes;
    }
    @JsonIgnore
    public void setBytes(byte[] bytes) { this.bytes = bytes; }
    @JsonIgnore
    public boolean isFetched() { return bytes != null || (keptPath != null && Files.isRegularFile(Path.of(keptPath))); }
}
