package io.darkroom.observe;

import org.apache.camel.health.HealthCheckResultBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A folder Darkroom reads from and moves files out of (the inbox): it must exist, be readable and writable. */
public class FolderHealthCheck extends ReadinessCheck {

    private final Path folder;

    public FolderHealthCheck(String name, Path folder) {
        super(name);
        this.folder = folder;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("folder", folder.toString());
        if (!Files.isDirectory(folder)) {
            builder.message(folder + " is not a folder").down();
        } else if (!Files.isReadable(folder) || !Files.isWritable(folder)) {
            builder.message(folder + " is not readable and writable by Darkroom").down();
        } else {
            builder.up();
        }
    }
}
