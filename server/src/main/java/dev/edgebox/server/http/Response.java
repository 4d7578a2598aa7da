package dev.edgebox.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A status, headers and a body. A body of known length is sent with Content-Length; a streamed body
 * (server-sent events, say) is written as it comes, chunked.
 */
public final class Response {
    /** Writes a body of unknown length; flush to push what is written so far to the client. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private final BodyWriter stream;

    private Response(int status, String contentType, byte[] body, BodyWriter stream) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        if (contentType != null) headers.put("Content-Type", contentType);
    }

    public static Response json(Object value) {
        return json(200, value);
    }

    public static Response json(int status, Object value) {
        try {
            return new Response(status, "application/json", Json.MAPPER.writeValueAsBytes(value), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
        }
    }

    public static Response text(int status, String text) {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null);
    }

    public static Response noContent() {
        return new Response(204, null, new byte[0], null);
    }

    public static Response stream(int status, String contentType, BodyWriter writer) {
        return new Response(status, contentType, null, writer);
    }

    public static Response error(ApiException e) {
        Response r = json(e.status(), e.body());
        e.headers().forEach(r::header);
        return r;
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The body when its length is known, else null (a stream). */
    public byte[] body() {
        return body;
    }

    public BodyWriter stream() {
        return stream;
    }
}
