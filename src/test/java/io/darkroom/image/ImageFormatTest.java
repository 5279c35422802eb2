package io.darkroom.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void namesAndExtensionsMapToFormatsInAnyCase() {
        assertEquals(ImageFormat.PNG, ImageFormat.fromName("png"));
        assertEquals(ImageFormat.PNG, ImageFormat.fromName("PNG"));
        assertEquals(ImageFormat.JPEG, ImageFormat.fromName("jpeg"));
        assertEquals(ImageFormat.JPEG, ImageFormat.fromName("JPG"));
        assertEquals(ImageFormat.WEBP, ImageFormat.fromName("WebP"));
    }

    @Test
    void unknownNamesGiveNull() {
        assertNull(ImageFormat.fromName("gif"));
        assertNull(ImageFormat.fromName(""));
        assertNull(ImageFormat.fromName(null));
    }

    @Test
    void mimeTypesAndExtensions() {
        assertEquals("image/png", ImageFormat.PNG.mimeType());
        assertEquals("image/jpeg", ImageFormat.JPEG.mimeType());
        assertEquals("image/webp", ImageFormat.WEBP.mimeType());
        assertEquals("png", ImageFormat.PNG.extension());
        assertEquals("jpg", ImageFormat.JPEG.extension());
        assertEquals("webp", ImageFormat.WEBP.extension());
    }
}
