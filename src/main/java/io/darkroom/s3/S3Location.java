package io.darkroom.s3;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, written {@code s3://bucket/prefix/}. The prefix is empty (the whole
 * bucket) or ends with '/', so that {@code inbox/} never matches {@code inbox-old/}.
 */
public record S3Location(String bucket, String prefix) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        prefix = normalise(prefix);
    }

    /** Parses {@code s3://bucket/prefix}; throws IllegalArgumentException saying what is wrong. */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            throw new IllegalArgumentException("'" + uri + "' does not start with s3://");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!isBucketName(bucket)) {
            throw new IllegalArgumentException("'" + bucket + "' in " + uri + " is not a valid bucket name "
                    + "(3-63 lower-case letters, digits, '.' and '-')");
        }
        return new S3Location(bucket, prefix);
    }

    /** A configured place: a key prefix in {@code bucket}, or a full {@code s3://other-bucket/prefix}. */
    public static S3Location resolve(String value, String bucket) {
        String trimmed = value == null ? "" : value.trim();
        return trimmed.toLowerCase(Locale.ROOT).startsWith("s3://") ? parse(trimmed) : new S3Location(bucket, trimmed);
    }

    public static boolean isBucketName(String name) {
        return name != null && BUCKET.matcher(name).matches() && !name.contains("..");
    }

    /** True when every key of {@code other} also lies under this location. */
    public boolean contains(S3Location other) {
        return bucket.equals(other.bucket) && other.prefix.startsWith(prefix);
    }

    public boolean overlaps(S3Location other) {
        return contains(other) || other.contains(this);
    }

    public boolean containsKey(String key) {
        return key.startsWith(prefix);
    }

    /** The key of a name under this location. */
    public String key(String name) {
        return prefix + name;
    }

    /** A location below this one. */
    public S3Location child(String name) {
        return new S3Location(bucket, prefix + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }

    private static String normalise(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }
}
