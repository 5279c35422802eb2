package io.darkroom.ticket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.darkroom.job.ErrorCode;
import io.darkroom.job.JobFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads plain-text, JSON and YAML tickets (and folder defaults) into a {@link Ticket}. */
public class TicketReader {

    private final ObjectMapper json = strict(new ObjectMapper());
    private final ObjectMapper yaml = strict(new ObjectMapper(new YAMLFactory()));

    private static ObjectMapper strict(ObjectMapper mapper) {
        // a field given twice or anything after the ticket (a second YAML document) is refused, not silently dropped
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    public static boolean isTicketName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return !isDefaultsName(fileName) && !fileName.startsWith(".")
                && (lower.endsWith(".txt") || lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml"));
    }

    public static boolean isDefaultsName(String fileName) {
        return fileName.equals("_defaults.yaml") || fileName.equals("_defaults.yml") || fileName.equals("_defaults.json");
    }

    /** The stem that pairs a ticket with its images: shoe.txt, shoe.prompt.txt, shoe.json → shoe. */
    public static String stemOf(String ticketName) {
        String lower = ticketName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".prompt.txt")) {
            return ticketName.substring(0, ticketName.length() - ".prompt.txt".length());
        }
        int dot = ticketName.lastIndexOf('.');
        return dot > 0 ? ticketName.substring(0, dot) : ticketName;
    }

    public Ticket read(Path file) {
        String name = file.getFileName().toString();
        return read(name, readBytes(file, name));
    }

    /** Reads a ticket held in memory (an object from a bucket, a mail attachment); the name gives its kind. */
    public Ticket read(String name, byte[] bytes) {
        String text;
        try {
            text = TicketText.decode(bytes);
        } catch (IllegalArgumentException notText) {
            throw new JobFailure(ErrorCode.TICKET_INVALID, "Ticket " + name + " " + notText.getMessage() + ".");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".txt")) {
            Ticket ticket = new Ticket();
            String prompt = text.strip();
            ticket.setPrompt(prompt.isEmpty() ? null : prompt);
            return ticket;
        }
        return parse(text, lower.endsWith(".json") ? json : yaml, name);
    }

    private static byte[] readBytes(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JobFailure(ErrorCode.TICKET_INVALID, "Ticket " + name + " could not be read: " + e.getMessage(), e);
        }
    }

    private Ticket parse(String text, ObjectMapper mapper, String name) {
        if (text.isBlank()) {
            throw new JobFailure(ErrorCode.TICKET_INVALID, "Ticket " + name + " is empty.");
        }
        try {
            Ticket ticket = mapper.readValue(text, Ticket.class);
            if (ticket == null) {
                throw new JobFailure(ErrorCode.TICKET_INVALID, "Ticket " + name + " holds no fields.");
            }
            return ticket;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new JobFailure(ErrorCode.TICKET_INVALID,
                    "Ticket " + name + " has an unknown field '" + e.getPropertyName() + "' (known fields: " + known + ").", e);
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            if (field.isEmpty()) {
                throw new JobFailure(ErrorCode.TICKET_INVALID,
                        "Ticket " + name + " must be a map of fields (prompt, references, useCase, ...), not a single value or list.", e);
            }
            throw new JobFailure(ErrorCode.TICKET_INVALID,
                    "Ticket " + name + ": field '" + field + "' has the wrong type (" + firstLine(e.getOriginalMessage()) + ").", e);
        } catch (JsonMappingException e) {
            throw new JobFailure(ErrorCode.TICKET_INVALID,
                    "Ticket " + name + ": field '" + fieldPath(e) + "' is invalid (" + firstLine(e.getOriginalMessage()) + ").", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new JobFailure(ErrorCode.TICKET_INVALID,
                    "Ticket " + name + " is not valid " + (mapper == json ? "JSON" : "YAML") + where + ": "
                            + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson appends where the source was; the line and column are already given
        return line.replaceAll("\\s*\\(start marker at \\[Source.*$", "").replaceAll("\\s*at \\[Source.*$", "");
    }
}
