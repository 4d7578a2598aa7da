package dev.edgebox.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a streamed response one event at a time, flushing each so the client sees it at once and
 * a client that went away is noticed at the next write (an IOException). Two framings:
 * server-sent events ("data: JSON" and a blank line; comments as keep-alives) and JSON lines.
 */
public final class EventStream {
    public static final String SSE = "text/event-stream; charset=utf-8";
    public static final String NDJSON = "application/x-ndjson";

    private final OutputStream out;
    private final boolean sse;

    private EventStream(OutputStream out, boolean sse) {
        this.out = out;
        this.sse = sse;
    }

    public static EventStream sse(OutputStream out) {
        return new EventStream(out, true);
    }

    public static EventStream jsonLines(OutputStream out) {
        return new EventStream(out, false);
    }

    /** One event holding this value as JSON. */
    public void send(Object value) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(value);
        if (sse) out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.write(sse ? new byte[] {'\n', '\n'} : new byte[] {'\n'});
        out.flush();
    }

    /** A raw SSE data line ("[DONE]"). */
    public void sendRaw(String data) throws IOException {
        if (!sse) throw new IllegalStateException("raw data lines are for server-sent events");
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Proves the client is still there without sending an event: an SSE comment, which clients
     * ignore. JSON lines have no comments, so nothing is written there.
     */
    public void keepAlive() throws IOException {
        if (!sse) return;
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
