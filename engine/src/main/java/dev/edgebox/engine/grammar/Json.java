package dev.edgebox.engine.grammar;

import dev.edgebox.engine.EngineException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's strict JSON reader and writer (RFC 8259); the engine has no dependencies. Objects
 * are {@code Map<String, Object>} (insertion ordered), arrays {@code List<Object>}, and strings,
 * booleans as Java's. RFC 8259 leaves repeated names and number precision to the reader, and the
 * engine's two kinds of JSON want different answers:
 * <ul>
 * <li>{@link #parse}, for schemas and generated output: numbers are exact {@code BigDecimal}s, null
 *     is {@link #NULL} (distinct from an absent key), and a repeated name keeps the last value, as
 *     JavaScript does;
 * <li>{@link #parsePlain}, for files that must mean one thing (adapter_config.json, safetensors
 *     headers): numbers are {@code Long} (integers that fit) or {@code Double}, null is Java's null,
 *     and a repeated name is an error.
 * </ul>
 */
public final class Json {
    /** JSON's null, distinct from "absent". */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final int MAX_DEPTH = 1000;

    private final String s;
    private final boolean plain;
    private int pos;

    private Json(String s, boolean plain) {
        this.s = s;
        this.plain = plain;
    }

    /** Text that is not JSON; the message names the position. */
    public static final class SyntaxException extends EngineException {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses one JSON text (whitespace around it allowed, nothing else) into exact values. */
    public static Object parse(String text) {
        return new Json(text, false).document();
    }

    /** Parses one JSON text into Long/Double numbers and Java null, refusing a repeated name. */
    public static Object parsePlain(String text) {
        return new Json(text, true).document();
    }

    private Object document() {
        space();
        Object v = value(0);
        space();
        if (pos < s.length()) throw error("unexpected text after the JSON value");
        return v;
    }

    /** Compact JSON text of a value. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        if (pos >= s.length()) throw error("expected a value, found the end of the text");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", plain ? null : NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            space();
            if (peek() != '"') throw error("expected a property name in double quotes");
            int keyAt = pos;
            String key = string();
            space();
            expect(':');
            space();
            if (plain && m.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + quote(key));
            }
            m.remove(key); // a repeated name takes the last value and its position
            m.put(key, value(depth + 1));
            space();
            char c = peek();
            pos++;
            if (c == '}') return m;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return b.toString();
            if (c < 0x20) {
                pos--;
                throw error("control character in a string (it must be escaped)");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("expected 4 hex digits after \\u");
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) throw error("expected 4 hex digits after \\u");
                        v = v * 16 + d;
                    }
                    pos += 4;
                    b.append((char) v);
                }
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + e + "'");
                }
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw error("expected a digit");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!(peek() >= '0' && peek() <= '9')) throw error("expected a digit after '.'");
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!(peek() >= '0' && peek() <= '9')) throw error("expected a digit in the exponent");
            digits();
        }
        String text = s.substring(start, pos);
        if (plain) return integral ? plainInteger(text) : Double.parseDouble(text);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error("number out of range");
        }
    }

    /** An integer too large for a long becomes the nearest double, as JavaScript reads it. */
    private static Number plainInteger(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return Double.parseDouble(text);
        }
    }

    private void digits() {
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
    }

    private Object word(String w, Object v) {
        if (!s.startsWith(w, pos)) throw error("expected a value");
        pos += w.length();
        return v;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void space() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            pos++;
        }
    }

    private SyntaxException error(String what) {
        int line = 1, col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SyntaxException("invalid JSON at line " + line + ", column " + col + ": " + what);
    }

    private static void write(Object v, StringBuilder b) {
        switch (v) {
            case null -> b.append("null");
            case String str -> writeString(str, b);
            case BigDecimal d -> b.append(numberText(d));
            case Number n -> b.append(numberText(new BigDecimal(n.toString())));
            case Boolean bool -> b.append(bool);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    writeString(String.valueOf(e.getKey()), b);
                    b.append(':');
                    write(e.getValue(), b);
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(l.get(i), b);
                }
                b.append(']');
            }
            default -> {
                if (v == NULL) b.append("null");
                else throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
            }
        }
    }

    static String numberText(BigDecimal d) {
        return Math.abs(d.scale()) < 20 ? d.toPlainString() : d.toString();
    }

    /** A JSON string literal with the escapes JSON requires (and no others). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        writeString(s, b);
        return b.toString();
    }

    private static void writeString(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validPairAt(s, i)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Whether the surrogate at i is half of a proper pair (a lone one has no UTF-8 form and is escaped). */
    private static boolean validPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
