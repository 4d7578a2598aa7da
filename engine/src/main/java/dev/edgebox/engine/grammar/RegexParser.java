package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the common subset of regular expressions that ECMAScript (JSON Schema's dialect) and
 * java.util.regex agree on: literals, escapes, classes with ranges and negation, {@code \d \w \s}
 * and their negations, {@code .}, groups ({@code (...)}, {@code (?:...)}, {@code (?<name>...)}),
 * alternation, and the quantifiers {@code * + ? {m} {m,} {m,n}} (lazy forms too: the matched
 * language is the same). {@code ^} and {@code $} may open and close a top-level alternative.
 * Anything else (backreferences, lookaround, word boundaries, flags, Unicode properties) is an
 * error naming the construct, never a silent approximation.
 *
 * <p>Where the two dialects differ, the generated language is the part both accept: {@code \s}
 * means ASCII whitespace, {@code \S} anything but ECMAScript's larger whitespace set, and
 * {@code .} excludes every line terminator either dialect knows.
 */
final class RegexParser {
    static final int[] DIGIT = CodepointSet.normalize(new int[] {'0', '9'});
    static final int[] WORD = CodepointSet.normalize(new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'});
    static final int[] SPACE_ASCII = CodepointSet.normalize(new int[] {'\t', '\r', ' ', ' '});
    static final int[] SPACE_ECMA = CodepointSet.union(SPACE_ASCII, CodepointSet.normalize(new int[] {
            0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F,
            0x3000, 0x3000, 0xFEFF, 0xFEFF}));
    static final int[] BMP = CodepointSet.normalize(new int[] {0, 0xFFFF});
    private static final String OUTSIDE_BMP = "characters beyond U+FFFF are not supported (ECMAScript without the u flag"
            + " sees them as two halves)";
    static final int[] DOT = CodepointSet.minus(CodepointSet.ALL, CodepointSet.of('\n', '\r', 0x85, 0x2028, 0x2029));

    /** One top-level alternative and whether it was anchored at either end. */
    record Branch(Expr expr, boolean anchoredStart, boolean anchoredEnd) {}

    private final String src;
    private int pos;

    private RegexParser(String src) {
        this.src = src;
    }

    static List<Branch> parse(String regex) {
        RegexParser p = new RegexParser(regex);
        List<Branch> branches = new ArrayList<>();
        while (true) {
            branches.add(p.branch());
            if (p.pos >= regex.length()) break;
            if (regex.charAt(p.pos) == '|') {
                p.pos++;
                continue;
            }
            throw p.error("unbalanced ')'", p.pos);
        }
        return branches;
    }

    private GrammarSyntaxException error(String what, int at) {
        return new GrammarSyntaxException(what + " in the regular expression", "regex syntax", src, at);
    }

    private Branch branch() {
        boolean start = false, end = false;
        if (pos < src.length() && src.charAt(pos) == '^') {
            start = true;
            pos++;
        }
        List<Expr> items = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '|' || c == ')') break;
            if (c == '$') {
                int at = pos++;
                if (pos < src.length() && src.charAt(pos) != '|') {
                    throw error("'$' is only supported at the end of the pattern or of a top-level alternative", at);
                }
                end = true;
                break;
            }
            items.add(quantified(atom()));
        }
        return new Branch(Expr.seq(items), start, end);
    }

    private Expr alternatives() {
        List<Expr> options = new ArrayList<>();
        while (true) {
            List<Expr> items = new ArrayList<>();
            while (pos < src.length() && src.charAt(pos) != '|' && src.charAt(pos) != ')') items.add(quantified(atom()));
            options.add(Expr.seq(items));
            if (pos < src.length() && src.charAt(pos) == '|') {
                pos++;
                continue;
            }
            return Expr.alt(options);
        }
    }

    private Expr atom() {
        int start = pos;
        char c = src.charAt(pos++);
        switch (c) {
            case '(' -> {
                if (src.startsWith("?:", pos)) {
                    pos += 2;
                } else if (src.startsWith("?<", pos) && pos + 2 < src.length() && Character.isLetter(src.charAt(pos + 2))) {
                    int close = src.indexOf('>', pos);
                    if (close < 0) throw error("unterminated group name", start);
                    pos = close + 1;
                } else if (pos < src.length() && src.charAt(pos) == '?') {
                    throw error("'(?" + (pos + 1 < src.length() ? src.charAt(pos + 1) : "") + "' (lookaround or flags) is not supported", start);
                }
                Expr inner = alternatives();
                if (pos >= src.length() || src.charAt(pos) != ')') throw error("missing ')'", start);
                pos++;
                return inner;
            }
            case '[' -> {
                return new Expr.Chars(charClass(start));
            }
            case '.' -> {
                return new Expr.Chars(CodepointSet.intersect(DOT, BMP));
            }
            case '\\' -> {
                return escape(start, false);
            }
            case '^' -> throw error("'^' is only supported at the start of the pattern or of a top-level alternative", start);
            case '$' -> throw error("'$' is only supported at the end of the pattern or of a top-level alternative", start);
            case '*', '+', '?' -> throw error("nothing to repeat before '" + c + "'", start);
            case '{' -> throw error("'{' must be escaped when it does not start a quantifier", start);
            default -> {
                pos = start;
                int cp = src.codePointAt(pos);
                if (cp > 0xFFFF) throw error(OUTSIDE_BMP, start);
                pos += Character.charCount(cp);
                return Expr.lit(new String(Character.toChars(cp)));
            }
        }
    }

    private Expr quantified(Expr atom) {
        while (pos < src.length()) {
            int start = pos;
            char c = src.charAt(pos);
            int min, max;
            if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{') {
                pos++;
                min = number(start);
                max = min;
                if (pos < src.length() && src.charAt(pos) == ',') {
                    pos++;
                    max = pos < src.length() && src.charAt(pos) == '}' ? -1 : number(start);
                }
                if (pos >= src.length() || src.charAt(pos) != '}') throw error("unterminated quantifier", start);
                pos++;
                if (max >= 0 && max < min) throw error("quantifier {" + min + "," + max + "} has max < min", start);
            } else {
                break;
            }
            if (pos < src.length() && src.charAt(pos) == '+') throw error("possessive quantifiers are not supported", pos);
            if (pos < src.length() && src.charAt(pos) == '?') pos++; // lazy: same language
            if (pos < src.length() && "*+?{".indexOf(src.charAt(pos)) >= 0) throw error("nothing to repeat (a quantifier follows a quantifier)", pos);
            atom = Limits.repeat(atom, min, max, () -> error("quantifier count over " + Limits.MAX_REPEAT, start));
        }
        return atom;
    }

    private int number(int start) {
        int from = pos;
        while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') pos++;
        if (from == pos) throw error("expected a number in the quantifier", start);
        if (pos - from > 9) throw error("quantifier count over " + Limits.MAX_REPEAT, start);
        return Integer.parseInt(src, from, pos, 10);
    }

    private int[] charClass(int start) {
        boolean negated = pos < src.length() && src.charAt(pos) == '^';
        if (negated) pos++;
        if (pos < src.length() && src.charAt(pos) == ']') throw error("empty character class (write ']' as '\\]')", start);
        int[] set = new int[0];
        while (true) {
            if (pos >= src.length()) throw error("unterminated character class", start);
            char c = src.charAt(pos);
            if (c == ']') {
                pos++;
                break;
            }
            if (c == '[') throw error("'[' inside a class must be escaped", pos);
            if (c == '&' && src.startsWith("&&", pos)) throw error("class intersection '&&' is not supported", pos);
            int itemStart = pos;
            int[] item = classItem(negated);
            if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                int dash = pos++;
                int[] upper = classItem(negated);
                if (!single(item) || !single(upper)) throw error("a range needs single characters at both ends", dash);
                if (upper[0] < item[0]) throw error("character range is out of order", itemStart);
                item = new int[] {item[0], upper[0]};
                if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                    throw error("'-' right after a range is read differently by regex dialects; escape it", pos);
                }
            }
            set = CodepointSet.union(set, item);
        }
        if (negated) set = CodepointSet.complement(set);
        set = CodepointSet.intersect(set, BMP);
        if (set.length == 0) throw error("the character class matches no character", start);
        return set;
    }

    private static boolean single(int[] set) {
        return set.length == 2 && set[0] == set[1];
    }

    private int[] classItem(boolean negatedClass) {
        int start = pos;
        if (src.charAt(pos) == '\\') {
            pos++;
            Expr e = escape(start, negatedClass);
            if (e instanceof Expr.Chars c) return c.ranges();
            String s = ((Expr.Literal) e).text();
            return CodepointSet.of(s.codePointAt(0));
        }
        int cp = src.codePointAt(pos);
        if (cp > 0xFFFF) throw error(OUTSIDE_BMP, start);
        pos += Character.charCount(cp);
        return CodepointSet.of(cp);
    }

    /**
     * After a backslash. In a negated class the whitespace shorthands take the other dialect's
     * set, so that after negation the class is still the part both dialects accept.
     */
    private Expr escape(int start, boolean inNegatedClass) {
        if (pos >= src.length()) throw error("unfinished escape", start);
        char c = src.charAt(pos++);
        return switch (c) {
            case 'd' -> new Expr.Chars(DIGIT);
            case 'D' -> new Expr.Chars(CodepointSet.intersect(CodepointSet.complement(DIGIT), BMP));
            case 'w' -> new Expr.Chars(WORD);
            case 'W' -> new Expr.Chars(CodepointSet.intersect(CodepointSet.complement(WORD), BMP));
            case 's' -> new Expr.Chars(inNegatedClass ? SPACE_ECMA : SPACE_ASCII);
            case 'S' -> new Expr.Chars(CodepointSet.intersect(CodepointSet.complement(inNegatedClass ? SPACE_ASCII : SPACE_ECMA), BMP));
            case 't' -> Expr.lit("\t");
            case 'n' -> Expr.lit("\n");
            case 'r' -> Expr.lit("\r");
            case 'f' -> Expr.lit("\f");
            case 'x' -> Expr.lit(new String(Character.toChars(hex(2, start))));
            case 'u' -> Expr.lit(new String(Character.toChars(hex(4, start))));
            case 'b', 'B' -> throw error("word boundaries (\\" + c + ") are not supported", start);
            case 'p', 'P' -> throw error("Unicode property classes (\\" + c + ") are not supported", start);
            default -> {
                if (c >= '1' && c <= '9') throw error("backreferences are not supported", start);
                if (c < 128 && !Character.isLetterOrDigit(c)) yield Expr.lit(String.valueOf(c));
                throw error("escape '\\" + c + "' is not supported (the dialects disagree on it or lack it)", start);
            }
        };
    }

    private int hex(int digits, int start) {
        if (pos + digits > src.length()) throw error("expected " + digits + " hex digits", start);
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(src.charAt(pos + i), 16);
            if (d < 0) throw error("expected " + digits + " hex digits", start);
            v = v * 16 + d;
        }
        pos += digits;
        if (v >= 0xD800 && v <= 0xDFFF) throw error("surrogate escapes are not supported", start);
        return v;
    }

    /** Shortest and longest text the expression matches, in code points (longest -1: unbounded). */
    static long[] lengths(Expr e) {
        return switch (e) {
            case Expr.Literal l -> new long[] {l.text().codePointCount(0, l.text().length()), l.text().codePointCount(0, l.text().length())};
            case Expr.Chars c -> new long[] {1, 1};
            case Expr.Seq s -> {
                long min = 0, max = 0;
                for (Expr item : s.items()) {
                    long[] l = lengths(item);
                    min += l[0];
                    max = max < 0 || l[1] < 0 ? -1 : max + l[1];
                }
                yield new long[] {min, max};
            }
            case Expr.Alt a -> {
                long min = Long.MAX_VALUE, max = 0;
                for (Expr o : a.options()) {
                    long[] l = lengths(o);
                    min = Math.min(min, l[0]);
                    max = max < 0 || l[1] < 0 ? -1 : Math.max(max, l[1]);
                }
                yield new long[] {min, max};
            }
            case Expr.Repeat r -> {
                long[] l = lengths(r.body());
                long max = r.max() < 0 ? (l[1] == 0 ? 0 : -1) : l[1] < 0 ? (r.max() == 0 ? 0 : -1) : l[1] * r.max();
                yield new long[] {l[0] * r.min(), max};
            }
            case Expr.Ref ref -> throw new IllegalArgumentException("regex expressions have no rule references");
        };
    }
}
