package io.darkroom.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A folder Darkroom reads from and moves files out of (the inbox): it must exist, be readable and writable. */
public class FolderHealthCheck extends AbstractHealthCheck {

    private final Path folder;

    public FolderHealthCheck(String name, Path folder) {
        super("darkroom", name);
        this.folder = folder;
    }

    @Override
    public boolean isLiveness() {
        return false;
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
