package io.darkroom.sim;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Files sent to uploadMedia, kept in memory and served back at their download URL. */
final class UploadedFiles {

    record Stored(String name, String originalFilename, String contentType, byte[] content) {
    }

    private final Map<String, Stored> byName = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Stores the file under a fresh unique name, so two uploads of "ref.png" do not collide. */
    Stored store(String filename, String contentType, byte[] content) {
        byte[] prefix = new byte[6];
        random.nextBytes(prefix);
        String safe = filename == null || filename.isBlank() ? "file" : filename.replaceAll("[^A-Za-z0-9._-]", "_");
        String name = HexFormat.of().formatHex(prefix) + "-" + safe;
        Stored stored = new Stored(name, filename, contentType == null ? "application/octet-stream" : contentType, content);
        byName.put(name, stored);
        return stored;
    }

    Stored get(String name) {
        return byName.get(name);
    }

    void clear() {
        byName.clear();
    }
}
