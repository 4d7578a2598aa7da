package dev.edgebox.server.http;

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
    private final Map<String, String> pathParams;
    private final long maxBodyBytes;
    private Map<String, String> query;
    private byte[] body;

    Request(HttpExchange exchange, Map<String, String> pathParams, long maxBodyBytes) {
        this.exchange = exchange;
        this.pathParams = pathParams;
        this.maxBodyBytes = maxBodyBytes;
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
            throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    /** The parts of a multipart/form-data body. */
    public List<Multipart.Part> multipart() throws IOException {
        return Multipart.parse(contentType(), body());
    }
}
