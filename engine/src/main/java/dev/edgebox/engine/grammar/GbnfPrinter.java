package dev.edgebox.engine.grammar;

import java.util.Map;

/** Writes rules back as GBNF text, for logs, debugging and round-trip tests. */
final class GbnfPrinter {
    private GbnfPrinter() {}

    static String print(Map<String, Expr> rules, String root) {
        StringBuilder b = new StringBuilder();
        if (rules.containsKey(root)) line(b, root, rules.get(root));
        for (var e : rules.entrySet()) if (!e.getKey().equals(root)) line(b, e.getKey(), e.getValue());
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Expr body) {
        b.append(name).append(" ::= ");
        expr(b, body, false);
        b.append('\n');
    }

    private static void expr(StringBuilder b, Expr e, boolean inSequence) {
        switch (e) {
            case Expr.Literal l -> literal(b, l.text());
            case Expr.Chars c -> chars(b, c.ranges());
            case Expr.Ref r -> b.append(r.name());
            case Expr.Seq s -> {
                for (int i = 0; i < s.items().size(); i++) {
                    if (i > 0) b.append(' ');
                    expr(b, s.items().get(i), true);
                }
            }
            case Expr.Alt a -> {
                if (inSequence) b.append("( ");
                for (int i = 0; i < a.options().size(); i++) {
                    if (i > 0) b.append(" | ");
                    expr(b, a.options().get(i), false);
                }
                if (inSequence) b.append(" )");
            }
            case Expr.Repeat r -> {
                boolean group = r.body() instanceof Expr.Seq || r.body() instanceof Expr.Alt || r.body() instanceof Expr.Repeat;
                if (group) b.append("( ");
                expr(b, r.body(), false);
                if (group) b.append(" )");
                if (r.min() == 0 && r.max() == 1) b.append('?');
                else if (r.min() == 0 && r.max() < 0) b.append('*');
                else if (r.min() == 1 && r.max() < 0) b.append('+');
                else if (r.max() < 0) b.append('{').append(r.min()).append(",}");
                else if (r.min() == r.max()) b.append('{').append(r.min()).append('}');
                else b.append('{').append(r.min()).append(',').append(r.max()).append('}');
            }
        }
    }

    private static void literal(StringBuilder b, String s) {
        b.append('"');
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') b.append('\\').appendCodePoint(c);
            else escapeOrAppend(b, c);
        });
        b.append('"');
    }

    private static void chars(StringBuilder b, int[] set) {
        if (java.util.Arrays.equals(set, CodepointSet.ALL)) {
            b.append('.');
            return;
        }
        int[] complement = CodepointSet.complement(set);
        boolean negate = complement.length < set.length;
        int[] shown = negate ? complement : set;
        b.append(negate ? "[^" : "[");
        for (int i = 0; i < shown.length; i += 2) {
            classChar(b, shown[i]);
            if (shown[i + 1] != shown[i]) {
                if (shown[i + 1] > shown[i] + 1) b.append('-');
                classChar(b, shown[i + 1]);
            }
        }
        b.append(']');
    }

    private static void classChar(StringBuilder b, int c) {
        if (c == ']' || c == '\\' || c == '^' || c == '-' || c == '[') b.append('\\').appendCodePoint(c);
        else escapeOrAppend(b, c);
    }

    private static void escapeOrAppend(StringBuilder b, int c) {
        switch (c) {
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x7F) b.append(String.format("\\x%02X", c));
                else if (Character.isISOControl(c) || !Character.isDefined(c) || Character.getType(c) == Character.FORMAT
                        || Character.isWhitespace(c) && c != ' ') {
                    b.append(c > 0xFFFF ? String.format("\\U%08X", c) : String.format("\\u%04X", c));
                } else {
                    b.appendCodePoint(c);
                }
            }
        }
    }
}
