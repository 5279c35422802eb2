package io.darkroom.deliver;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WebhookSignatureTest {

    /** The known answer used by the Standard Webhooks reference libraries. */
    @Test
    void matchesTheStandardWebhooksTestVector() {
        WebhookSignature signature = new WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signed = signature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signed);
    }

    @Test
    void aSecretWithoutThePrefixIsUsedAsText() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String asText = new WebhookSignature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("msg_1", 1L, body);
        String asBase64 = new WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign("msg_1", 1L, body);
        assertNotEquals(asBase64, asText);
        String sameKeyAsBase64 = new WebhookSignature("whsec_" + Base64.getEncoder().encodeToString(
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8))).sign("msg_1", 1L, body);
        assertEquals(sameKeyAsBase64, asText);
    }
}
