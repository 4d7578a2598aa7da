package dev.edgebox.engine.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough JSON for reading the reference pack's model descriptions in tests. */
final class MiniJson {
    private final String s;
    private int i;

    private MiniJson(String s) {
        this.s = s;
    }

    /** Objects become Maps, arrays Lists, numbers Doubles (or Longs when integral), plus String/Boolean/null. */
    static Object parse(String json) {
        MiniJson p = new MiniJson(json);
        Object v = p.value();
        p.skipSpace();
        if (p.i != json.length()) throw new IllegalArgumentException("trailing data at " + p.i);
        return v;
    }

    /** Follows object keys, e.g. at(root, "prompt", "ids"). */
    static Object at(Object root, String... path) {
        Object v = root;
        for (String key : path) v = ((Map<?, ?>) v).get(key);
        return v;
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    private Object value() {
        skipSpace();
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                skipSpace();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    m.put(key, value());
                    skipSpace();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            case '[' -> {
                i++;
                List<Object> a = new ArrayList<>();
                skipSpace();
                if (s.charAt(i) == ']') { i++; return a; }
                while (true) {
                    a.add(value());
                    skipSpace();
                    if (s.charAt(i++) == ']') return a;
                }
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (s.startsWith("true", i)) { i += 4; return true; }
                if (s.startsWith("false", i)) { i += 5; return false; }
                if (s.startsWith("null", i)) { i += 4; return null; }
                if (s.startsWith("NaN", i)) { i += 3; return Double.NaN; }
                int start = i;
                while (i < s.length() && "+-0123456789.eEInfinity".indexOf(s.charAt(i)) >= 0) i++;
                String num = s.substring(start, i);
                if (num.matches("-?\\d+")) return Long.parseLong(num);
                return Double.parseDouble(num);
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
    }

    private void expect(char c) {
        if (s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
        i++;
    }

    private void skipSpace() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
}
