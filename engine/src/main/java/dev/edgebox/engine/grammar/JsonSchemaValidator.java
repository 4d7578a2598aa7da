package dev.edgebox.engine.grammar;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks JSON against a schema of the supported subset: the last guard before an answer leaves
 * the server. Its semantics are the compiler's, so that everything the grammar generates passes:
 * in particular "additionalProperties" left out means false when "properties" lists properties.
 * Unsupported keywords throw {@link UnsupportedSchemaException} as in the compiler. Thread-safe.
 */
public final class JsonSchemaValidator {
    private static final int MAX_DEPTH = 2000;

    private final SchemaDocument doc;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /** A validator for a schema given as JSON text. */
    public JsonSchemaValidator(String schemaJson) {
        this(SchemaDocument.parse(schemaJson));
    }

    JsonSchemaValidator(Object parsedSchema) {
        this.doc = new SchemaDocument(parsedSchema);
        checkVocabulary(parsedSchema, "#", 0);
    }

    /** Refuses unsupported keywords anywhere in the schema up front, not only where a value happens to lead. */
    private void checkVocabulary(Object schema, String path, int depth) {
        if (!(schema instanceof Map<?, ?>) || depth > MAX_DEPTH) return;
        Map<String, Object> m = SchemaDocument.asMap(schema, path);
        SchemaKeywords.check(m, path);
        if (m.get("format") != null) format(m, path);
        if (m.get("pattern") instanceof String p) pattern(p, path);
        if (m.get("$ref") instanceof String ref) doc.resolve(ref, path); // remote or dangling references fail here
        for (String k : List.of("items", "additionalProperties", "additionalItems")) {
            if (m.get(k) instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) checkVocabulary(l.get(i), path + "/" + k + "/" + i, depth + 1);
            } else {
                checkVocabulary(m.get(k), path + "/" + k, depth + 1);
            }
        }
        for (String k : List.of("prefixItems", "anyOf", "oneOf", "allOf")) {
            if (m.get(k) instanceof List<?> l) for (int i = 0; i < l.size(); i++) checkVocabulary(l.get(i), path + "/" + k + "/" + i, depth + 1);
        }
        for (String k : List.of("properties", "$defs", "definitions")) {
            if (m.get(k) instanceof Map<?, ?> defs) {
                for (var e : defs.entrySet()) checkVocabulary(e.getValue(), SchemaDocument.child(path, k, (String) e.getKey()), depth + 1);
            }
        }
    }

    /** Why the JSON text does not conform (not JSON at all, or which rule it breaks and where), or null if it does. */
    public String check(String jsonText) {
        Object value;
        try {
            value = Json.parse(jsonText);
        } catch (Json.SyntaxException e) {
            return e.getMessage();
        }
        return checkValue(value);
    }

    /** As {@link #check(String)} for a value from {@link Json#parse}. */
    public String checkValue(Object value) {
        return check(value, doc.root, "#", "$", 0);
    }

    public boolean isValid(String jsonText) {
        return check(jsonText) == null;
    }

    String check(Object v, Object schema, String path, String at, int depth) {
        if (depth > MAX_DEPTH) throw new JsonSchemaException("the schema nests too deeply at " + path + " (a $ref cycle?)");
        if (schema instanceof Boolean b) return b ? null : at + " is not allowed (schema false at " + path + ")";
        Map<String, Object> m = SchemaDocument.asMap(schema, path);
        SchemaKeywords.check(m, path);
        String why;
        if (m.get("$ref") instanceof String ref && (why = check(v, doc.resolve(ref, path), ref, at, depth + 1)) != null) return why;
        if (m.containsKey("$ref") && !(m.get("$ref") instanceof String)) throw new JsonSchemaException("$ref at " + path + " must be a string");
        if ((why = type(v, m, path, at)) != null) return why;
        List<Object> values = SchemaDocument.list(m, "enum", path, true);
        if (values != null && values.stream().noneMatch(x -> SchemaDocument.jsonEquals(x, v))) return at + " is not one of the enum values";
        if (m.containsKey("const") && !SchemaDocument.jsonEquals(m.get("const"), v)) return at + " is not the const value";
        if (m.get("format") != null) format(m, path); // an unsupported format is an error whatever the value
        why = switch (v) {
            case BigDecimal d -> number(d, m, path, at);
            case String s -> string(s, m, path, at);
            case List<?> l -> array(l, m, path, at, depth);
            case Map<?, ?> o -> object(o, m, path, at, depth);
            default -> null;
        };
        if (why != null) return why;
        return combinators(v, m, path, at, depth);
    }

    private static String type(Object v, Map<String, Object> m, String path, String at) {
        List<String> types = SchemaDocument.types(m, path);
        if (types == null) return null;
        String t = SchemaDocument.typeOf(v);
        if (types.contains(t) || t.equals("integer") && types.contains("number")) return null;
        return at + " is " + t + ", expected " + String.join(" or ", types);
    }

    private static String number(BigDecimal d, Map<String, Object> m, String path, String at) {
        SchemaDocument.Bounds b = SchemaDocument.bounds(m, path);
        if (!b.admits(d)) return at + " = " + d.toPlainString() + " is out of bounds";
        return null;
    }

    private String string(String s, Map<String, Object> m, String path, String at) {
        int length = s.codePointCount(0, s.length());
        int min = SchemaDocument.count(m, "minLength", path), max = SchemaDocument.count(m, "maxLength", path);
        if (min >= 0 && length < min) return at + " is shorter than minLength " + min;
        if (max >= 0 && length > max) return at + " is longer than maxLength " + max;
        if (m.get("pattern") != null) {
            if (!(m.get("pattern") instanceof String p)) throw new JsonSchemaException("pattern at " + path + " must be a string");
            if (!pattern(p, path).matcher(s).find()) return at + " does not match the pattern " + Json.quote(p);
        }
        String format = m.get("format") == null ? null : format(m, path);
        if (format != null && !StringFormats.valid(format, s)) return at + " is not a valid " + format;
        return null;
    }

    private Pattern pattern(String p, String path) {
        Pattern compiled = patterns.get(p);
        if (compiled != null) return compiled;
        try {
            RegexParser.parse(p); // the same subset as generation
            compiled = Pattern.compile(p);
        } catch (GrammarSyntaxException | PatternSyntaxException e) {
            throw new UnsupportedSchemaException("pattern", path, e.getMessage());
        }
        patterns.put(p, compiled);
        return compiled;
    }

    static String format(Map<String, Object> m, String path) {
        if (!(m.get("format") instanceof String f) || !StringFormats.SUPPORTED.contains(f)) {
            throw new UnsupportedSchemaException("format", path, "format " + Json.write(m.get("format"))
                    + " is not supported; supported formats: " + String.join(", ", StringFormats.SUPPORTED));
        }
        return f;
    }

    private String array(List<?> l, Map<String, Object> m, String path, String at, int depth) {
        int min = SchemaDocument.count(m, "minItems", path), max = SchemaDocument.count(m, "maxItems", path);
        if (min >= 0 && l.size() < min) return at + " has fewer than minItems " + min + " items";
        if (max >= 0 && l.size() > max) return at + " has more than maxItems " + max + " items";
        ArrayItems items = ArrayItems.of(m, path);
        for (int i = 0; i < l.size(); i++) {
            Object schema = items.schemaAt(i);
            String why = check(l.get(i), schema, items.pathAt(i), at + "[" + i + "]", depth + 1);
            if (why != null) return why;
        }
        return null;
    }

    private String object(Map<?, ?> o, Map<String, Object> m, String path, String at, int depth) {
        Map<String, Object> props = properties(m, path);
        List<Object> required = SchemaDocument.list(m, "required", path, false);
        if (required != null) {
            for (Object r : required) {
                if (!(r instanceof String name)) throw new JsonSchemaException("required at " + path + " must list property names");
                if (!o.containsKey(name)) return at + " lacks the required property " + Json.quote(name);
            }
        }
        Object additional = SchemaDocument.additionalProperties(m);
        for (var e : o.entrySet()) {
            String name = (String) e.getKey();
            String where = at + "." + name;
            String why;
            if (props.containsKey(name)) {
                why = check(e.getValue(), props.get(name), SchemaDocument.child(path, "properties", name), where, depth + 1);
            } else if (Boolean.FALSE.equals(additional)) {
                why = at + " has the property " + Json.quote(name) + ", which the schema does not allow";
            } else {
                why = check(e.getValue(), additional, path + "/additionalProperties", where, depth + 1);
            }
            if (why != null) return why;
        }
        return null;
    }

    static Map<String, Object> properties(Map<String, Object> m, String path) {
        Object p = m.get("properties");
        if (p == null) return Map.of();
        return SchemaDocument.asMap(p, path + "/properties");
    }

    private String combinators(Object v, Map<String, Object> m, String path, String at, int depth) {
        List<Object> all = SchemaDocument.list(m, "allOf", path, true);
        if (all != null) {
            for (int i = 0; i < all.size(); i++) {
                String why = check(v, all.get(i), path + "/allOf/" + i, at, depth + 1);
                if (why != null) return why;
            }
        }
        List<Object> any = SchemaDocument.list(m, "anyOf", path, true);
        if (any != null) {
            String first = null;
            boolean ok = false;
            for (int i = 0; i < any.size() && !ok; i++) {
                String why = check(v, any.get(i), path + "/anyOf/" + i, at, depth + 1);
                ok = why == null;
                if (first == null) first = why;
            }
            if (!ok) return at + " matches no anyOf branch (first: " + first + ")";
        }
        List<Object> one = SchemaDocument.list(m, "oneOf", path, true);
        if (one != null) {
            int matches = 0;
            for (int i = 0; i < one.size(); i++) if (check(v, one.get(i), path + "/oneOf/" + i, at, depth + 1) == null) matches++;
            if (matches != 1) return at + " matches " + matches + " oneOf branches, expected exactly 1";
        }
        return null;
    }

    /** Which schema each array position follows: prefixItems (or the old array form of items), then items/additionalItems. */
    record ArrayItems(List<Object> prefix, Object rest, String prefixPath, String restPath) {
        static ArrayItems of(Map<String, Object> m, String path) {
            List<Object> prefix = SchemaDocument.list(m, "prefixItems", path, false);
            Object items = m.get("items");
            if (prefix != null) {
                return new ArrayItems(prefix, items == null ? Boolean.TRUE : items, path + "/prefixItems", path + "/items");
            }
            if (items instanceof List<?> l) {
                Object additional = m.get("additionalItems");
                return new ArrayItems(List.copyOf(l), additional == null ? Boolean.TRUE : additional, path + "/items", path + "/additionalItems");
            }
            return new ArrayItems(List.of(), items == null ? Boolean.TRUE : items, path, path + "/items");
        }

        Object schemaAt(int i) {
            return i < prefix.size() ? prefix.get(i) : rest;
        }

        String pathAt(int i) {
            return i < prefix.size() ? prefixPath + "/" + i : restPath;
        }
    }
}
