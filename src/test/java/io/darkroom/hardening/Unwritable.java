package io.darkroom.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A destination folder Darkroom cannot write. A read-only folder, except for root, who writes into
 * one anyway: then a plain file stands where the folder should be, so it cannot be created at all.
 */
final class Unwritable {

    private Unwritable() {
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void folder(Path folder) throws IOException {
        Files.createDirectories(folder.getParent());
        if (runningAsRoot()) {
            Files.writeString(folder, "a file where the folder should be");
        } else {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
    }

    static void fix(Path folder) throws IOException {
        if (Files.isRegularFile(folder)) {
            Files.delete(folder);
        } else {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
