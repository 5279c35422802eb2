package io.darkroom.s3;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3LocationTest {

    @Test
    void prefixesEndWithASlashSoSiblingsDoNotMatch() {
        S3Location inbox = S3Location.parse("s3://media/inbox");
        assertEquals("inbox/", inbox.prefix());
        assertFalse(inbox.overlaps(S3Location.parse("s3://media/inbox-old/")));
        assertTrue(inbox.overlaps(S3Location.parse("s3://media/inbox/results/")));
        assertTrue(S3Location.parse("s3://media").overlaps(inbox), "the whole bucket holds every prefix");
        assertFalse(inbox.overlaps(S3Location.parse("s3://other/inbox/")));
    }

    @Test
    void configuredPlacesArePrefixesOrOtherBuckets() {
        assertEquals(new S3Location("media", "done/"), S3Location.resolve("done/", "media"));
        assertEquals(new S3Location("archive", "done/"), S3Location.resolve("s3://archive/done", "media"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://Bad_Bucket/x"));
    }

    @Test
    void onlyKeysThatMapToFilesAreStaged() {
        assertTrue(BucketStaging.isSafeKey("inbox/a/b.png"));
        assertFalse(BucketStaging.isSafeKey("inbox/../etc/passwd"));
        assertFalse(BucketStaging.isSafeKey("inbox//b.png"));
        assertFalse(BucketStaging.isSafeKey("/inbox/b.png"));
    }
}
