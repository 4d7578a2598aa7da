package dev.edgebox.server.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.edgebox.server.http.ExchangeListener;
import dev.edgebox.server.http.Json;
import dev.edgebox.server.http.Request;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per finished request: time, client, method, path, route, status, duration, bytes,
 * and what the handler noted (request id, model, tokens, finish reason). Grep-able and loadable
 * into any log tool.
 */
public final class AccessLog implements ExchangeListener, AutoCloseable {
    private final PrintStream out;
    private final boolean owned;

    private AccessLog(PrintStream out, boolean owned) {
        this.out = out;
        this.owned = owned;
    }

    /** "stderr", "stdout", "off" (null is returned) or a file to append to. */
    public static AccessLog open(String target) {
        return switch (target) {
            case "off" -> null;
            case "stderr" -> new AccessLog(System.err, false);
            case "stdout" -> new AccessLog(System.out, false);
            default -> {
                try {
                    OutputStream file = new FileOutputStream(Path.of(target).toFile(), true);
                    yield new AccessLog(new PrintStream(file, true, StandardCharsets.UTF_8), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open access-log " + target + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** Writes to a stream of the caller's (tests). */
    public static AccessLog to(PrintStream out) {
        return new AccessLog(out, false);
    }

    @Override
    public void completed(Request request, int status, long bodyBytes, boolean aborted) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("remote", request.remoteAddress());
        line.put("method", request.method());
        line.put("path", request.path());
        line.put("route", request.route());
        line.put("status", status);
        line.put("ms", Math.round((System.nanoTime() - request.startNanos()) / 1e4) / 100.0);
        line.put("bytes", bodyBytes);
        if (aborted) line.put("aborted", true);
        line.putAll(request.notes());
        try {
            String json = Json.MAPPER.writeValueAsString(line);
            synchronized (out) {
                out.println(json);
                out.flush();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (owned) out.close();
    }
}
