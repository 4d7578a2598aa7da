package dev.edgebox.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's json.dumps, which Hugging Face's {@code tojson} filter calls: same separators, indentation,
 * escapes, float formatting and key conversion, so tool schemas in prompts match byte for byte.
 */
final class Json {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    private Json(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    /**
     * @param indent null for one line, else the text repeated per level (json.dumps turns an int n into n spaces)
     * @param separators null for the defaults: ", " and ": " on one line, "," and ": " when indenting
     */
    static String dumps(Object value, boolean ensureAscii, String indent, List<String> separators, boolean sortKeys) {
        String item = separators != null ? separators.get(0) : indent != null ? "," : ", ";
        String key = separators != null ? separators.get(1) : ": ";
        Json json = new Json(ensureAscii, indent, item, key, sortKeys);
        json.write(value, 0);
        return json.out.toString();
    }

    private void write(Object value, int level) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case Double d -> out.append(floatText(d));
            case String s -> string(s);
            case Markup m -> string(m.text());
            case Map<?, ?> m -> object(m, level);
            case PyRange r -> notSerializable(r);
            case List<?> l -> array(l, level);
            default -> notSerializable(value);
        }
    }

    private static void notSerializable(Object value) {
        throw JinjaError.type("Object of type " + Py.typeName(value) + " is not JSON serializable");
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Py.floatRepr(d);
    }

    private void newline(int level) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private void array(List<?> list, int level) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(itemSeparator);
            }
            newline(level + 1);
            write(list.get(i), level + 1);
        }
        newline(level);
        out.append(']');
    }

    private void object(Map<?, ?> map, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((x, y) -> Py.compare(x.getKey(), y.getKey(), "<"));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            if (!first) {
                out.append(itemSeparator);
            }
            first = false;
            newline(level + 1);
            string(keyText(e.getKey()));
            out.append(keySeparator);
            write(e.getValue(), level + 1);
        }
        newline(level);
        out.append('}');
    }

    private static String keyText(Object key) {
        return switch (key) {
            case String s -> s;
            case Markup m -> m.text();
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> floatText(d);
            case null -> "null";
            default -> throw JinjaError.type("keys must be str, int, float, bool or None, not " + Py.typeName(key));
        };
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
