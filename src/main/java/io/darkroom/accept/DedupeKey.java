package io.darkroom.accept;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.darkroom.job.Job;
import io.darkroom.job.Json;
import io.darkroom.job.Reference;
import io.darkroom.ticket.Ticket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a paid request: SHA-256 over the reference bytes, the ticket's fields and the
 * chosen model and provider. The same input dropped again has the same key, whatever its name.
 */
public final class DedupeKey {

    private static final ObjectWriter JSON = Json.canonical();

    private DedupeKey() {
    }

    public static String of(Job job) {
        MessageDigest digest = sha256();
        for (Reference reference : job.getReferences()) {
            try (InputStream in = Files.newInputStream(Path.of(reference.getPath()))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new IllegalStateException("reference " + reference.getName() + " could not be read", e);
            }
            digest.update((byte) 0);
        }
        Ticket ticket = job.getTicket();
        Ticket identity = new Ticket().withDefaults(ticket);
        identity.setReferences(null);
        identity.setRerun(null);
        identity.setDestinations(null);
        identity.setMetadata(null);
        try {
            digest.update(JSON.writeValueAsBytes(identity));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        digest.update((job.getPlan().getModel() + "|" + job.getPlan().getProvider()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
