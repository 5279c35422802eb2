package io.darkroom.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where a folder really is once every link on the way is followed, even when its last parts do not
 * exist yet (a destination folder is created on first delivery): the deepest existing ancestor's
 * real path, with the rest appended. A link that cannot be followed (dangling, a loop) is refused.
 */
final class FolderRealPath {

    private FolderRealPath() {
    }

    static Path of(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            // a dangling or looping link: give a path under no root, so the folder is refused
            return Path.of("/").resolve("unresolvable-link").resolve(absolute.toString().substring(1));
        }
    }
}
