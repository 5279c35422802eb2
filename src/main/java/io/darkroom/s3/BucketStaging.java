package io.darkroom.s3;

import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Local copies of the objects of jobs from a bucket, at {@code <staging>/<bucket>/<key>}, so the
 * rest of the pipeline (image checks, dedupe, providers) reads files as it does for the folder
 * intake. Objects are streamed to disk, never held whole in memory. The place of a copy follows
 * from its key alone, so claims and the ledger's record of inputs survive a restart.
 */
public class BucketStaging {

    private final Path root;

    public BucketStaging(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Keys that map to a file name safely: no empty, '.' or '..' parts, no backslash or NUL. */
    public static boolean isSafeKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : key.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    public Path pathOf(String bucket, String key) {
        return root.resolve(bucket).resolve(key).normalize();
    }

    /** The key a staged file stands for. */
    public String keyOf(String bucket, Path staged) {
        return root.resolve(bucket).relativize(staged.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Streams the object to its staged place, only if it still has the ETag the scan saw (a newer
     * upload under the same key is a new job, not part of this one).
     */
    public Path download(S3Client s3, String bucket, String key, String etag) throws IOException {
        Path target = pathOf(bucket, key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(".part-" + UUID.randomUUID() + "-" + target.getFileName());
        try {
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
            if (etag != null) {
                request.ifMatch(etag);
            }
            s3.getObject(request.build(), ResponseTransformer.toFile(temp));
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes staged copies and the folders they leave empty. */
    public void remove(Iterable<String> stagedFiles) throws IOException {
        for (String file : stagedFiles) {
            Path path = Path.of(file).toAbsolutePath().normalize();
            if (!path.startsWith(root)) {
                continue;
            }
            Files.deleteIfExists(path);
            for (Path dir = path.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException | NoSuchFileException stillUsed) {
                    break;
                }
            }
        }
    }
}
