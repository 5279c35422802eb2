package io.darkroom.provider.atlas;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.darkroom.job.Reference;
import io.darkroom.provider.ReferenceBytes;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A submit's JSON body with its references added as one string or an array of them: the URL of an
 * uploaded reference, else a data URI. The data URIs are encoded from the files while the request
 * goes to the socket, so a request with megabytes of references is never held in memory; it is
 * sent chunked, so a file that changed size since intake still goes whole.
 */
final class JsonWithReferences extends AbstractHttpEntity {

    private final byte[] object;
    private final String field;
    private final boolean array;
    private final List<Reference> references;
    private final ObjectMapper json;

    /** {@code object} is the serialized JSON object without the references. */
    JsonWithReferences(byte[] object, String field, boolean array, List<Reference> references, ObjectMapper json) {
        super(ContentType.APPLICATION_JSON, null, true);
        this.object = object;
        this.field = field;
        this.array = array;
        this.references = references;
        this.json = json;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(object, 0, object.length - 1); // all but the closing brace
        out.write((",\"" + field + "\":" + (array ? "[" : "")).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < references.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Reference reference = references.get(i);
            if (reference.getUploadedUrl() != null) {
                out.write(json.writeValueAsBytes(reference.getUploadedUrl()));
            } else {
                out.write('"');
                ReferenceBytes.writeDataUri(reference, out);
                out.write('"');
            }
        }
        out.write((array ? "]}" : "}").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The whole body in memory: for a reader that wants the bytes (tests, logs), never for sending. */
    @Override
    public InputStream getContent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTo(bytes);
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open: each write opens and closes its files
    }
}
