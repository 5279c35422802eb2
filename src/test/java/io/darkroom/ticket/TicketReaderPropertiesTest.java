package io.darkroom.ticket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated tickets (random bytes, random JSON and YAML structures, YAML token soup, in random
 * encodings) through the ticket reader and validator: each either reads or fails with a ticket
 * error that names the ticket, never with anything else, and never takes long.
 */
class TicketReaderPropertiesTest {

    private static final Set<ErrorCode> TICKET_ERRORS = Set.of(ErrorCode.TICKET_INVALID, ErrorCode.PROMPT_MISSING, ErrorCode.USE_CASE_UNKNOWN);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final TicketReader reader = new TicketReader();
    private final TicketValidator validator = new TicketValidator(10, 32000);

    @Property(tries = 400)
    void randomBytesAreATicketOrATicketError(@ForAll("ticketNames") String name, @ForAll @Size(max = 3000) byte[] bytes) {
        readOrTicketError(name, bytes);
    }

    @Property(tries = 400)
    void randomStructuresInAnyEncodingAreATicketOrATicketError(@ForAll("structures") Object structure, @ForAll boolean asYaml,
                                                                @ForAll("encodings") String encoding) throws Exception {
        String text = asYaml ? YAML.writeValueAsString(structure) : JSON.writeValueAsString(structure);
        readOrTicketError(asYaml ? "ticket.yaml" : "ticket.json", encode(text, encoding));
    }

    @Property(tries = 400)
    void yamlTokenSoupIsATicketOrATicketError(@ForAll("yamlSoup") String text, @ForAll("encodings") String encoding) {
        readOrTicketError("ticket.yaml", encode(text, encoding));
    }

    @Property(tries = 300)
    void anyTextIsATicketOrATicketError(@ForAll @Size(max = 500) String text, @ForAll("ticketNames") String name,
                                        @ForAll("encodings") String encoding) {
        readOrTicketError(name, encode(text, encoding));
    }

    private void readOrTicketError(String name, byte[] bytes) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                Ticket ticket = reader.read(name, bytes);
                validator.check(ticket, name);
            } catch (JobFailure failure) {
                assertTrue(TICKET_ERRORS.contains(failure.code()), failure.code() + ": " + failure.getMessage());
                assertTrue(failure.getMessage().contains(name), "the error names the ticket: " + failure.getMessage());
            } catch (Throwable other) {
                fail("not a ticket error: " + other, other);
            }
        });
    }

    @Provide
    Arbitrary<String> ticketNames() {
        return Arbitraries.of("ticket.txt", "ticket.prompt.txt", "ticket.json", "ticket.yaml", "ticket.yml");
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.of("UTF-8", "UTF-8+BOM", "UTF-16LE", "UTF-16LE+BOM", "UTF-16BE", "UTF-16BE+BOM", "windows-1252");
    }

    @Provide
    Arbitrary<Object> structures() {
        return Arbitraries.oneOf(map(3), value(3));
    }

    @Provide
    Arbitrary<String> yamlSoup() {
        Arbitrary<String> token = Arbitraries.of("prompt", "references", "variants", "destinations", "metadata", "useCase", ": ", "- ", "\n",
                "  ", "&a ", "*a", "&b [*a, *a, *a] ", "*b", "!!java.net.URL ", "!!binary ", "!!str ", "!<tag:x> ", "---\n", "...\n", "{", "}",
                "[", "]", ",", "\"", "'", "|\n", ">\n", "#", "? ", "%YAML 1.2\n", "<<: *a\n", "1e999", "0x10", "~", "true", "é", "\u202e", "\t");
        return token.list().ofMaxSize(60).map(tokens -> String.join("", tokens));
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.of("1024x1024", "99999x99999", "16:9", "0:0", "png", "hero", "file:/etc", "s3://b/p", "../x.png").map(s -> (Object) s));
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf, leaf, map(depth - 1), value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l));
    }

    private Arbitrary<Object> map(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("prompt", "references", "useCase", "model", "size", "aspectRatio", "variants",
                "outputFormat", "seed", "text", "budgetUsd", "destinations", "metadata", "rerun"), Arbitraries.strings().ofMaxLength(8));
        return Arbitraries.maps(keys, value(depth)).ofMaxSize(6).map(m -> (Object) m);
    }

    private static byte[] encode(String text, String encoding) {
        boolean bom = encoding.endsWith("+BOM");
        String charset = bom ? encoding.substring(0, encoding.length() - 4) : encoding;
        byte[] body;
        try {
            ByteBuffer exact = Charset.forName(charset).newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).encode(java.nio.CharBuffer.wrap(text));
            body = new byte[exact.remaining()];
            exact.get(body);
        } catch (java.nio.charset.CharacterCodingException e) {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        if (!bom) {
            return body;
        }
        byte[] mark = switch (charset) {
            case "UTF-8" -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
            default -> new byte[] {(byte) 0xFE, (byte) 0xFF};
        };
        byte[] all = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(body, 0, all, mark.length, body.length);
        return all;
    }
}
