package dev.edgebox.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request: method, path parameters, query, headers, and a body read once within a size limit. */
public final class Request {
    private final HttpExchange exchange;
    private final long maxBodyBytes;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> notes = new LinkedHashMap<>();
    private Map<String, String> pathParams = Map.of();
    private String route;
    private Map<String, String> query;
    private byte[] body;

    Request(HttpExchange exchange, long maxBodyBytes) {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Called once routing found the handler. */
    void bind(Router.Match match) {
        this.pathParams = match.params();
        this.route = match.pattern();
    }

    /** The pattern of the matched route (e.g. "/v1/kb/{name}"), or null before routing or when none matched. */
    public String route() {
        return route;
    }

    /** System.nanoTime() when the request arrived. */
    public long startNanos() {
        return startNanos;
    }

    /** The client's address and port. */
    public String remoteAddress() {
        var a = exchange.getRemoteAddress();
        return a == null ? "" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Attaches a fact for the access log (tokens, request id, ...); kept in insertion order. */
    public void note(String key, Object value) {
        synchronized (notes) {
            notes.put(key, value);
        }
    }

    /** The facts handlers attached, for the access log. */
    public Map<String, Object> notes() {
        synchronized (notes) {
            return new LinkedHashMap<>(notes);
        }
    }

    HttpExchange exchange() {
        return exchange;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** A {name} segment of the route pattern, percent-decoded. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) throw new IllegalArgumentException("route has no path parameter {" + name + "}");
        return v;
    }

    /** A query-string parameter, or null. */
    public String query(String name) {
        if (query == null) {
            query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    if (pair.isEmpty()) continue;
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.putIfAbsent(k, v);
                }
            }
        }
        return query.get(name);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public String contentType() {
        String ct = header("Content-Type");
        return ct == null ? "" : ct;
    }

    /** The whole body; a body over the server's limit is refused with 413 before it is all read. */
    public byte[] body() throws IOException {
        if (body == null) {
            String length = header("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBodyBytes) throw ApiException.tooLarge(maxBodyBytes);
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("Content-Length '" + length + "' is not a number", null);
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
                if (read.length > maxBodyBytes) throw ApiException.tooLarge(maxBodyBytes);
                body = read;
            }
        }
        return body;
    }

    /** The body as JSON of the given type; malformed JSON is a 400 naming the problem. */
    public <T> T json(Class<T> type) throws IOException {
        byte[] b = body();
        if (b.length == 0) throw ApiException.badRequest("request body is empty; expected a JSON object", null);
        try {
            return Json.MAPPER.readValue(b, type);
        } catch (JsonProcessingException e) {
            // Say where it broke (a JSON pointer such as /messages/0/content), so the client finds the field.
            String where = e.getProcessor() instanceof JsonParser p ? fieldPath(p.getParsingContext().pathAsPointer().toString()) : "";
            throw ApiException.badRequest("request body is not valid JSON" + (where.isEmpty() ? "" : " at '" + where + "'") + ": "
                    + e.getOriginalMessage(), where.isEmpty() ? null : where);
        }
    }

    /** A JSON pointer ("/messages/0/content") as a field path ("messages[0].content"). */
    static String fieldPath(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) continue;
            String name = seg.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) b.append('[').append(name).append(']');
            else b.append(b.isEmpty() ? "" : ".").append(name);
        }
        return b.toString();
    }

    /** The parts of a multipart/form-data body. */
    public List<Multipart.Part> multipart() throws IOException {
        return Multipart.parse(contentType(), body());
    }
}
