package dev.edgebox.engine.grammar;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON Schema: local $ref resolution and typed access to keyword values, with errors that
 * name the schema location. Shared by the compiler and the validator.
 */
final class SchemaDocument {
    static final List<String> TYPES = List.of("null", "boolean", "object", "array", "number", "integer", "string");

    final Object root;

    SchemaDocument(Object root) {
        this.root = root;
    }

    static Object parse(String schemaJson) {
        try {
            return Json.parse(schemaJson);
        } catch (Json.SyntaxException e) {
            throw new JsonSchemaException("the schema is not valid JSON: " + e.getMessage());
        }
    }

    /** The schema a local reference ("#", "#/$defs/Name", "#/definitions/Name", any JSON pointer) points at. */
    Object resolve(String ref, String path) {
        if (!ref.equals("#") && !ref.startsWith("#/")) {
            throw new UnsupportedSchemaException("$ref", path, "only local references such as #/$defs/Name are supported, not "
                    + Json.quote(ref));
        }
        Object at = root;
        if (ref.length() > 1) {
            for (String raw : ref.substring(2).split("/", -1)) {
                String key = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8).replace("~1", "/").replace("~0", "~");
                if (at instanceof Map<?, ?> m && m.containsKey(key)) {
                    at = m.get(key);
                } else if (at instanceof List<?> l && key.matches("\\d{1,9}") && Integer.parseInt(key) < l.size()) {
                    at = l.get(Integer.parseInt(key));
                } else {
                    throw new JsonSchemaException("$ref " + Json.quote(ref) + " at " + path + " points at nothing");
                }
            }
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object schema, String path) {
        if (schema instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new JsonSchemaException("the schema at " + path + " must be an object or a boolean");
    }

    /** A non-negative integer keyword, or -1 when absent. */
    static int count(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) return -1;
        if (v instanceof BigDecimal d && d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0) {
            if (d.compareTo(BigDecimal.valueOf(Limits.MAX_REPEAT)) > 0) {
                throw new UnsupportedSchemaException(key, path, "values above " + Limits.MAX_REPEAT + " are not supported");
            }
            return d.intValueExact();
        }
        throw new JsonSchemaException(key + " at " + path + " must be a non-negative integer");
    }

    static BigDecimal number(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof BigDecimal d) return d;
        throw new JsonSchemaException(key + " at " + path + " must be a number");
    }

    static List<Object> list(Map<String, Object> m, String key, String path, boolean nonEmpty) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof List<?> l && !(nonEmpty && l.isEmpty())) return new ArrayList<>(l);
        throw new JsonSchemaException(key + " at " + path + " must be " + (nonEmpty ? "a non-empty" : "an") + " array");
    }

    /** The "type" keyword as a list, or null when absent; "nullable": true adds "null". */
    static List<String> types(Map<String, Object> m, String path) {
        Object v = m.get("type");
        List<String> types = null;
        if (v instanceof String s) {
            types = new ArrayList<>(List.of(s));
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            types = new ArrayList<>();
            for (Object t : l) {
                if (!(t instanceof String s)) throw new JsonSchemaException("type at " + path + " must list type names");
                types.add(s);
            }
        } else if (v != null) {
            throw new JsonSchemaException("type at " + path + " must be a type name or a non-empty array of them");
        }
        if (types != null) {
            for (String t : types) {
                if (!TYPES.contains(t)) throw new JsonSchemaException("unknown type " + Json.quote(t) + " at " + path + "; expected one of " + TYPES);
            }
        }
        Object nullable = m.get("nullable");
        if (nullable != null && !(nullable instanceof Boolean)) throw new JsonSchemaException("nullable at " + path + " must be a boolean");
        if (Boolean.TRUE.equals(nullable) && types != null && !types.contains("null")) types.add("null");
        return types;
    }

    /** The types a schema without "type" can produce, judged by which keywords it uses; null if any value. */
    static List<String> inferredTypes(Map<String, Object> m) {
        List<String> types = new ArrayList<>();
        if (m.keySet().stream().anyMatch(SchemaKeywords.OBJECT::contains)) types.add("object");
        if (m.keySet().stream().anyMatch(SchemaKeywords.ARRAY::contains)) types.add("array");
        if (m.keySet().stream().anyMatch(SchemaKeywords.STRING::contains)) types.add("string");
        if (m.keySet().stream().anyMatch(SchemaKeywords.NUMBER::contains)) types.add("number");
        if (types.isEmpty()) return null;
        if (Boolean.TRUE.equals(m.get("nullable"))) types.add("null");
        return types;
    }

    static String child(String path, String... segments) {
        StringBuilder b = new StringBuilder(path);
        for (String s : segments) b.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        return b.toString();
    }

    /**
     * additionalProperties as it applies: an explicit value, else false when "properties" lists
     * properties (no extra members are generated) and true when it lists none (a free-form object).
     */
    static Object additionalProperties(Map<String, Object> m) {
        Object a = m.get("additionalProperties");
        if (a != null) return a;
        Object props = m.get("properties");
        return props instanceof Map<?, ?> p && !p.isEmpty() ? Boolean.FALSE : Boolean.TRUE;
    }

    /** Numeric bounds after combining minimum/maximum with exclusiveMinimum/exclusiveMaximum (the tighter wins). */
    record Bounds(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {
        boolean any() {
            return lo != null || hi != null;
        }

        boolean admits(BigDecimal v) {
            if (lo != null && (loExclusive ? v.compareTo(lo) <= 0 : v.compareTo(lo) < 0)) return false;
            return hi == null || (hiExclusive ? v.compareTo(hi) < 0 : v.compareTo(hi) <= 0);
        }
    }

    static Bounds bounds(Map<String, Object> m, String path) {
        BigDecimal min = number(m, "minimum", path), max = number(m, "maximum", path);
        Object exMin = m.get("exclusiveMinimum"), exMax = m.get("exclusiveMaximum");
        BigDecimal lo = min, hi = max;
        boolean loEx = false, hiEx = false;
        // Draft 4 wrote exclusiveMinimum: true next to minimum; later drafts give the bound itself.
        if (exMin instanceof Boolean b) {
            if (b && min == null) throw new JsonSchemaException("exclusiveMinimum: true at " + path + " needs a minimum");
            loEx = b;
        } else if (exMin != null) {
            BigDecimal e = number(m, "exclusiveMinimum", path);
            if (lo == null || e.compareTo(lo) >= 0) {
                lo = e;
                loEx = true;
            }
        }
        if (exMax instanceof Boolean b) {
            if (b && max == null) throw new JsonSchemaException("exclusiveMaximum: true at " + path + " needs a maximum");
            hiEx = b;
        } else if (exMax != null) {
            BigDecimal e = number(m, "exclusiveMaximum", path);
            if (hi == null || e.compareTo(hi) <= 0) {
                hi = e;
                hiEx = true;
            }
        }
        return new Bounds(lo, loEx, hi, hiEx);
    }

    /** JSON equality: numbers by value, objects regardless of member order. */
    static boolean jsonEquals(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!jsonEquals(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) return false;
            for (var e : x.entrySet()) if (!jsonEquals(e.getValue(), y.get(e.getKey()))) return false;
            return true;
        }
        return a == b || a != null && a.equals(b);
    }

    /** The JSON type name of a parsed value ("integer" for integral numbers). */
    static String typeOf(Object v) {
        if (v == Json.NULL) return "null";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof String) return "string";
        if (v instanceof List) return "array";
        if (v instanceof Map) return "object";
        if (v instanceof BigDecimal d) return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0 ? "integer" : "number";
        throw new IllegalArgumentException("not a JSON value: " + v);
    }
}
