package dev.edgebox.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A multipart/form-data body (RFC 7578) split into its parts. */
public final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*([a-z*]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;]*))");

    /**
     * One form field or file.
     *
     * @param filename the file name the client sent, null for a plain field
     */
    public record Part(String name, String filename, String contentType, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        public boolean isFile() {
            return filename != null;
        }
    }

    private Multipart() {}

    public static List<Part> parse(String contentType, byte[] body) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !m.find()) {
            throw ApiException.unsupportedMediaType(contentType, "multipart/form-data with a boundary");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) throw ApiException.badRequest("multipart body has no boundary line", null);
        while (true) {
            int after = pos + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') break; // closing delimiter
            int headersStart = skipLineEnd(body, after);
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
            if (headersEnd < 0) throw ApiException.badRequest("multipart part has no end of headers", null);
            int next = indexOf(body, concat(new byte[] {'\r', '\n'}, delimiter), headersEnd + 4);
            if (next < 0) throw ApiException.badRequest("multipart body is truncated: no closing boundary", null);
            parts.add(part(new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8),
                    java.util.Arrays.copyOfRange(body, headersEnd + 4, next)));
            pos = next + 2;
        }
        return parts;
    }

    private static Part part(String headerBlock, byte[] content) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : headerBlock.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw ApiException.badRequest("multipart part without 'Content-Disposition: form-data'", null);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Matcher p = PARAM.matcher(disposition); p.find(); ) {
            params.put(p.group(1).toLowerCase(Locale.ROOT), p.group(2) != null ? p.group(2).replaceAll("\\\\(.)", "$1") : p.group(3).trim());
        }
        String filename = params.get("filename");
        String extended = params.get("filename*"); // RFC 5987: UTF-8''name%20with%20escapes
        if (extended != null && extended.toUpperCase(Locale.ROOT).startsWith("UTF-8''")) {
            filename = java.net.URLDecoder.decode(extended.substring(7).replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return new Part(params.get("name"), filename, headers.getOrDefault("content-type", "text/plain"), content);
    }

    private static int skipLineEnd(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') return i + 2;
        if (i < b.length && b[i] == '\n') return i + 1;
        return i;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
