package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads grammars in llama.cpp's GBNF notation:
 * <pre>
 *   root   ::= object
 *   object ::= "{" ws ( pair ( "," ws pair )* )? "}"
 *   pair   ::= [a-z]+ ":" ws [^\n"]{1,20}   # comments run to the end of the line
 * </pre>
 * Rules, alternation {@code |}, sequences, groups, {@code * + ? {m} {m,} {m,n} {,n}}, literals with
 * escapes (backslash with n, r, t, backslash, quote, xHH, uHHHH, UHHHHHHHH), character classes with ranges and
 * {@code ^} negation, and {@code .} for any character. A rule's body may span lines; it ends
 * where the next {@code name ::=} begins.
 */
final class GbnfParser {
    private final String src;
    private int pos;
    private final Map<String, Expr> rules = new LinkedHashMap<>();
    private final Map<String, Integer> ruleOffsets = new LinkedHashMap<>();

    private GbnfParser(String src) {
        this.src = src;
    }

    record Result(Map<String, Expr> rules, Map<String, Integer> offsets) {}

    static Result parse(String text) {
        GbnfParser p = new GbnfParser(text);
        p.grammar();
        return new Result(p.rules, p.ruleOffsets);
    }

    GrammarSyntaxException error(String what, int at) {
        return new GrammarSyntaxException(what, "grammar syntax", src, at);
    }

    private void grammar() {
        skipSpace();
        while (pos < src.length()) {
            int start = pos;
            String name = name();
            if (name.isEmpty()) throw error("expected a rule name, found " + describeHere(), pos);
            skipSpace();
            if (!src.startsWith("::=", pos)) throw error("expected '::=' after rule name '" + name + "'", pos);
            pos += 3;
            if (rules.containsKey(name)) throw error("rule '" + name + "' is defined twice", start);
            ruleOffsets.put(name, start);
            rules.put(name, alternatives(false));
            skipSpace();
        }
        if (rules.isEmpty()) throw error("the grammar has no rules", 0);
    }

    private Expr alternatives(boolean nested) {
        List<Expr> options = new ArrayList<>();
        options.add(sequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            options.add(sequence(nested));
        }
        return Expr.alt(options);
    }

    private Expr sequence(boolean nested) {
        List<Expr> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) break;
            char c = src.charAt(pos);
            if (c == '|') break;
            if (c == ')') {
                if (!nested) throw error("unbalanced ')'", pos);
                break;
            }
            if (!nested && startsRule()) break;
            Expr item = item();
            items.add(quantified(item));
        }
        return Expr.seq(items);
    }

    private Expr item() {
        int start = pos;
        char c = src.charAt(pos);
        if (c == '"') return literal();
        if (c == '[') return charClass();
        if (c == '.') {
            pos++;
            return new Expr.Chars(CodepointSet.ALL);
        }
        if (c == '(') {
            pos++;
            Expr inner = alternatives(true);
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != ')') throw error("missing ')' for the group opened here", start);
            pos++;
            return inner;
        }
        String name = name();
        if (!name.isEmpty()) return new Expr.Ref(name, start);
        throw error("unexpected " + describeHere(), pos);
    }

    private Expr quantified(Expr item) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '*') item = Expr.star(item);
            else if (c == '+') item = Expr.plus(item);
            else if (c == '?') item = Expr.optional(item);
            else if (c == '{') {
                item = braces(item);
                continue;
            } else break;
            pos++;
        }
        return item;
    }

    private Expr braces(Expr item) {
        int start = pos++;
        skipBlanks();
        int min = src.charAt(pos) == ',' ? 0 : number(start);
        int max = min;
        skipBlanks();
        if (pos < src.length() && src.charAt(pos) == ',') {
            pos++;
            skipBlanks();
            max = pos < src.length() && src.charAt(pos) == '}' ? -1 : number(start);
            skipBlanks();
        }
        if (pos >= src.length() || src.charAt(pos) != '}') throw error("expected '}' to close the repetition", start);
        pos++;
        if (max >= 0 && max < min) throw error("repetition {" + min + "," + max + "} has max < min", start);
        return Limits.repeat(item, min, max, () -> error("repetition count over " + Limits.MAX_REPEAT, start));
    }

    private int number(int start) {
        int from = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos)) && src.charAt(pos) < 128) pos++;
        if (from == pos) throw error("expected a number in the repetition", start);
        if (pos - from > 9) throw error("repetition count over " + Limits.MAX_REPEAT, start);
        return Integer.parseInt(src, from, pos, 10);
    }

    private Expr literal() {
        int start = pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw error("unterminated string literal", start);
            int c = src.codePointAt(pos);
            if (c == '"') {
                pos++;
                return Expr.lit(b.toString());
            }
            b.appendCodePoint(c == '\\' ? escape() : next());
        }
    }

    private Expr charClass() {
        int start = pos++;
        boolean negated = pos < src.length() && src.charAt(pos) == '^';
        if (negated) pos++;
        List<Integer> ranges = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) throw error("unterminated character class", start);
            if (src.charAt(pos) == ']') {
                pos++;
                break;
            }
            int lo = classChar();
            int hi = lo;
            if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                int at = pos++;
                hi = classChar();
                if (hi < lo) throw error("character range is out of order", at);
            }
            ranges.add(lo);
            ranges.add(hi);
        }
        int[] set = CodepointSet.normalize(ranges.stream().mapToInt(Integer::intValue).toArray());
        if (negated) set = CodepointSet.complement(set);
        if (set.length == 0) throw error("the character class matches no character", start);
        return new Expr.Chars(set);
    }

    private int classChar() {
        return src.charAt(pos) == '\\' ? escape() : next();
    }

    private int next() {
        int c = src.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private int escape() {
        int start = pos++;
        if (pos >= src.length()) throw error("unfinished escape", start);
        char c = src.charAt(pos++);
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '0' -> 0;
            case '\\', '"', '\'', '[', ']', '-', '^', '/', '.' -> c;
            case 'x' -> hex(2, start);
            case 'u' -> hex(4, start);
            case 'U' -> hex(8, start);
            default -> throw error("unknown escape '\\" + c + "'", start);
        };
    }

    private int hex(int digits, int start) {
        if (pos + digits > src.length()) throw error("expected " + digits + " hex digits", start);
        int v;
        try {
            v = Integer.parseUnsignedInt(src, pos, pos + digits, 16);
        } catch (NumberFormatException e) {
            throw error("expected " + digits + " hex digits", start);
        }
        pos += digits;
        if (v > CodepointSet.MAX || (v >= 0xD800 && v <= 0xDFFF)) throw error("escape is not a Unicode character", start);
        return v;
    }

    private String name() {
        int from = pos;
        while (pos < src.length() && isNameChar(src.charAt(pos))) pos++;
        return src.substring(from, pos);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** Whether a rule definition ({@code name ::=}) starts here. */
    private boolean startsRule() {
        int p = pos;
        while (p < src.length() && isNameChar(src.charAt(p))) p++;
        if (p == pos) return false;
        while (p < src.length() && (src.charAt(p) == ' ' || src.charAt(p) == '\t' || src.charAt(p) == '\r' || src.charAt(p) == '\n')) p++;
        return src.startsWith("::=", p);
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else {
                break;
            }
        }
    }

    private void skipBlanks() {
        while (pos < src.length() && src.charAt(pos) == ' ') pos++;
    }

    private String describeHere() {
        if (pos >= src.length()) return "end of input";
        return "'" + new String(Character.toChars(src.codePointAt(pos))) + "'";
    }
}
