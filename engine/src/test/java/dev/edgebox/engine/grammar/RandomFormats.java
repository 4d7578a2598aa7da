package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random output formats for property tests: JSON Schemas from the supported subset (nested
 * objects, arrays, bounded strings, formats, patterns, numeric bounds, enums, consts, anyOf,
 * disjoint oneOf, type arrays, $defs with $ref including recursion), regular expressions and
 * choice lists. Sizes lean small so that even a random model often finishes within a short limit.
 */
final class RandomFormats {
    static final List<String> NAMES = List.of("id", "name", "tags", "score", "when", "a", "ab", "nested", "x y", "ünï", "q\"uote", "k");
    static final List<String> PATTERNS = List.of("^[A-Z]{2}-\\d{1,3}$", "^(yes|no)$", "ab", "^[a-f0-9]{4}$", "^\\w{1,5}@x\\.io$",
            "^[^\\s\"]{0,4}$", "^\\d+(\\.\\d{1,2})?$", "^(?:[ab]c)+$", "^.{2}$", "z$", "^\"\\\\$");

    private final Random r;
    private int defs;

    RandomFormats(Random r) {
        this.r = r;
    }

    /** A schema as JSON text. */
    String schema() {
        defs = 0;
        Map<String, Object> root;
        if (r.nextInt(5) == 0) {
            // $defs with a $ref, sometimes recursive (a bounded tree).
            Map<String, Object> defsMap = new LinkedHashMap<>();
            Map<String, Object> node = object(2, true);
            if (r.nextBoolean()) {
                Map<String, Object> props = new LinkedHashMap<>(castMap(node.get("properties")));
                props.put("kids", map("type", "array", "items", map("$ref", "#/$defs/node"), "maxItems", 2));
                node.put("properties", props);
            }
            defsMap.put("node", node);
            root = map("$defs", defsMap, "$ref", "#/$defs/node");
        } else {
            root = r.nextInt(4) == 0 ? value(0) : object(0, false);
        }
        return Json.write(root);
    }

    private Map<String, Object> value(int depth) {
        int k = r.nextInt(depth >= 2 ? 9 : 13);
        return switch (k) {
            case 0, 1 -> string();
            case 2 -> integer();
            case 3 -> number();
            case 4 -> map("type", "boolean");
            case 5 -> map("type", r.nextBoolean() ? List.of("string", "null") : List.of("integer", "null"), "maxLength", 3, "maximum", 9);
            case 6 -> map("enum", enumValues());
            case 7 -> map("const", enumValues().getFirst());
            case 8 -> map("type", "null");
            case 9, 10 -> object(depth + 1, false);
            case 11 -> array(depth + 1);
            default -> r.nextBoolean() ? anyOf(depth + 1) : oneOf(depth + 1);
        };
    }

    private Map<String, Object> string() {
        int k = r.nextInt(10);
        if (k < 5) {
            int max = r.nextInt(9);
            return map("type", "string", "minLength", r.nextInt(max + 1), "maxLength", max);
        }
        if (k < 7) return map("type", "string", "format", StringFormats.SUPPORTED.get(r.nextInt(StringFormats.SUPPORTED.size())));
        if (k < 9) return map("type", "string", "pattern", PATTERNS.get(r.nextInt(PATTERNS.size())));
        return map("type", "string");
    }

    private Map<String, Object> integer() {
        Map<String, Object> m = map("type", "integer");
        int lo = r.nextInt(2000) - 1000;
        if (r.nextBoolean()) m.put(r.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
        if (r.nextBoolean()) m.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 2 + r.nextInt(500));
        return m;
    }

    private Map<String, Object> number() {
        Map<String, Object> m = map("type", "number");
        double lo = (r.nextInt(20000) - 10000) / 100.0;
        if (r.nextBoolean()) m.put(r.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
        if (r.nextBoolean()) m.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 0.5 + r.nextInt(300) / 10.0);
        return m;
    }

    private List<Object> enumValues() {
        List<Object> values = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            values.add(switch (r.nextInt(6)) {
                case 0 -> r.nextInt(100) - 50;
                case 1 -> r.nextBoolean();
                case 2 -> Json.NULL;
                case 3 -> List.of(1, "two");
                case 4 -> map("k", "v", "n", 1.5);
                default -> NAMES.get(r.nextInt(NAMES.size()));
            });
        }
        return values;
    }

    private Map<String, Object> object(int depth, boolean forDefs) {
        Map<String, Object> props = new LinkedHashMap<>();
        int n = r.nextInt(depth >= 2 ? 3 : 5);
        List<String> required = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = NAMES.get(r.nextInt(NAMES.size()));
            if (props.containsKey(name) || name.equals("kids")) continue;
            props.put(name, value(depth + 1));
            if (r.nextInt(3) > 0) required.add(name);
        }
        Map<String, Object> m = map("type", "object", "properties", props);
        if (!required.isEmpty()) m.put("required", required);
        int extra = r.nextInt(8);
        if (extra == 0) m.put("additionalProperties", map("type", "integer", "minimum", 0, "maximum", 9));
        else if (extra == 1 && !forDefs) m.put("additionalProperties", false);
        return m;
    }

    private Map<String, Object> array(int depth) {
        int min = r.nextInt(3);
        Map<String, Object> m = map("type", "array", "minItems", min, "maxItems", min + r.nextInt(3));
        if (r.nextInt(4) == 0) {
            m.put("prefixItems", List.of(value(depth + 1), value(depth + 1)));
            if (r.nextBoolean()) m.put("items", false);
            else m.put("items", value(depth + 1));
        } else {
            m.put("items", value(depth + 1));
        }
        return m;
    }

    private Map<String, Object> anyOf(int depth) {
        List<Object> branches = new ArrayList<>();
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) branches.add(value(depth + 1));
        return map("anyOf", branches);
    }

    /** Branches that no value can match twice: distinct types, or objects tagged by a const property. */
    private Map<String, Object> oneOf(int depth) {
        if (r.nextBoolean()) {
            return map("oneOf", List.of(string(), integer(), map("type", "boolean"), object(depth + 1, false)));
        }
        List<Object> branches = new ArrayList<>();
        for (String tag : List.of("cat", "dog")) {
            Map<String, Object> o = object(depth + 1, false);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("kind", map("const", tag));
            props.putAll(castMap(o.get("properties")));
            o.put("properties", props);
            List<Object> req = new ArrayList<>(List.of("kind"));
            if (o.get("required") instanceof List<?> l) for (Object x : l) if (!x.equals("kind")) req.add(x);
            o.put("required", req);
            branches.add(o);
        }
        return map("oneOf", branches);
    }

    /** A regex from the supported subset, built from random pieces. */
    String regex() {
        return alternatives(0);
    }

    private String alternatives(int depth) {
        int n = r.nextInt(4) == 0 ? 2 : 1;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(sequence(depth));
        return String.join("|", parts);
    }

    private String sequence(int depth) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String atom = switch (r.nextInt(depth >= 2 ? 8 : 10)) {
                case 0, 1 -> String.valueOf("abcxyz-_ é字".charAt(r.nextInt(11)));
                case 2 -> "\\d";
                case 3 -> "\\w";
                case 4 -> "[a-f0-9]";
                case 5 -> "[^\\s\"]";
                case 6 -> "\\.";
                case 7 -> "\\s";
                default -> "(" + (r.nextBoolean() ? "?:" : "") + alternatives(depth + 1) + ")";
            };
            String q = switch (r.nextInt(9)) {
                case 0 -> "?";
                case 1 -> "{1,3}";
                case 2 -> "{2}";
                case 3 -> "+";
                case 4 -> "*";
                default -> "";
            };
            b.append(atom).append(q);
        }
        return b.toString();
    }

    List<String> choices() {
        List<String> out = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        String[] words = {"positive", "negative", "neutral", "pos", "yes", "yes please", "no", "正面", "负面", "A", "B", "C"};
        while (out.size() < n) {
            String w = words[r.nextInt(words.length)];
            if (!out.contains(w)) out.add(w);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
