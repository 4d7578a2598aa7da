package dev.edgebox.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the fields of a JSON request object. A field of the wrong type or out of range
 * is a 400 whose message and {@code param} name the field by its full path ("messages[2].role"),
 * so a client always learns which of its values was refused and why. A null field counts as absent.
 */
public final class Fields {
    private final JsonNode node;
    private final String prefix;

    private Fields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The request body, which must be a JSON object. */
    public static Fields body(Request request) throws IOException {
        JsonNode n = request.json(JsonNode.class);
        if (n == null || !n.isObject()) throw ApiException.badRequest("request body must be a JSON object, got " + kind(n), null);
        return new Fields(n, "");
    }

    /** A nested object whose fields are named {@code path.field}. */
    public static Fields of(JsonNode object, String path) {
        return new Fields(object, path.isEmpty() ? "" : path + ".");
    }

    public JsonNode raw() {
        return node;
    }

    /** The full name of a field, as errors report it. */
    public String param(String name) {
        return prefix + name;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    public JsonNode get(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** A 400 about one field: "'{field}' {message}". */
    public ApiException invalid(String name, String message) {
        return ApiException.badRequest("'" + param(name) + "' " + message, param(name));
    }

    public String string(String name) {
        String s = optString(name, null);
        if (s == null) throw invalid(name, "is required");
        return s;
    }

    public String optString(String name, String fallback) {
        JsonNode v = get(name);
        if (v == null) return fallback;
        if (!v.isTextual()) throw invalid(name, "must be a string, got " + kind(v));
        return v.asText();
    }

    public Boolean optBool(String name) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isBoolean()) throw invalid(name, "must be true or false, got " + kind(v));
        return v.booleanValue();
    }

    public boolean bool(String name, boolean fallback) {
        Boolean b = optBool(name);
        return b == null ? fallback : b;
    }

    /** An integer in [min, max], or null when absent. */
    public Integer optInt(String name, long min, long max) {
        Long v = optLong(name, min, max);
        return v == null ? null : v.intValue();
    }

    public Long optLong(String name, long min, long max) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isNumber()) throw invalid(name, "must be an integer, got " + kind(v));
        if (!v.isIntegralNumber() && v.asDouble() != Math.rint(v.asDouble())) throw invalid(name, "must be an integer, got " + v);
        if (!v.canConvertToLong()) throw invalid(name, "is out of range: " + v);
        long n = v.asLong();
        if (n < min || n > max) throw invalid(name, "must be " + range(min, max) + ", got " + n);
        return n;
    }

    /** A number in [min, max], or null when absent. */
    public Double optNumber(String name, double min, double max) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isNumber()) throw invalid(name, "must be a number, got " + kind(v));
        double d = v.asDouble();
        if (!(d >= min && d <= max)) throw invalid(name, "must be between " + trim(min) + " and " + trim(max) + ", got " + v);
        return d;
    }

    /** The elements of an array field, or null when absent. */
    public List<JsonNode> optArray(String name) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isArray()) throw invalid(name, "must be an array, got " + kind(v));
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** A nested object, or null when absent. */
    public Fields optObject(String name) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isObject()) throw invalid(name, "must be an object, got " + kind(v));
        return new Fields(v, param(name) + ".");
    }

    /** "a string", "an array", ... for messages. */
    public static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.isNumber()) return "a number";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase();
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) return "at least " + min;
        if (min == Long.MIN_VALUE || min == Integer.MIN_VALUE) return "at most " + max;
        return "between " + min + " and " + max;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
