package io.darkroom.deliver;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Signs webhook requests the Standard Webhooks way: {@code webhook-signature} is "v1," and the
 * base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}". A secret written
 * {@code whsec_<base64>} is taken as the base64 of the key bytes; any other secret as UTF-8 text.
 */
public final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook secret is needed to sign requests");
        }
        String trimmed = secret.trim();
        byte[] bytes = trimmed.startsWith(PREFIX)
                ? Base64.getDecoder().decode(trimmed.substring(PREFIX.length()))
                : trimmed.getBytes(StandardCharsets.UTF_8);
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public String sign(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
