package io.darkroom.intake;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailSubjectTest {

    @Test
    void aKnownTagSetsTheUseCase() {
        assertEquals(new MailSubject("character", "the cat in space"), MailSubject.parse("[Character] the cat in space"));
        assertEquals(new MailSubject("brand", "a mug"), MailSubject.parse("Re: Fwd: [brand] a mug"));
    }

    @Test
    void anyOtherTagStaysText() {
        assertEquals(new MailSubject(null, "[EXTERNAL] a mug"), MailSubject.parse("[EXTERNAL] a mug"));
        assertEquals(new MailSubject(null, ""), MailSubject.parse(null));
    }

    @Test
    void sendersAreAddressesOrWholeDomains() {
        MailSenders senders = new MailSenders("alice@example.com, *@studio.test");
        assertTrue(senders.allows("Alice@Example.com"));
        assertTrue(senders.allows("bob@studio.test"));
        assertFalse(senders.allows("bob@evil.studio.test"));
        assertFalse(senders.allows("mallory@example.com"));
        assertTrue(new MailSenders("").isEmpty());
    }

    @Test
    void theBodyLosesSignatureAndQuotes() {
        assertEquals("Keep the stripes.", MailText.bodyOf("Keep the stripes.\n> earlier mail\n-- \nAlice", null));
        assertEquals("Bold\nnext & last", MailText.bodyOf(null, "<p>Bold</p><div>next &amp; last</div><style>p{}</style>"));
    }
}
