package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.seq;

import java.util.ArrayList;
import java.util.List;

/**
 * Regular expressions to grammars (the subset {@link RegexParser} reads). For guided_regex the
 * whole output must match (anchors are implicit). For a JSON Schema "pattern" the pattern is
 * searched for, as ECMAScript does: an alternative without {@code ^} may be preceded by any
 * characters and one without {@code $} followed by any, and the characters are written as JSON
 * string content (quotes, backslashes and control characters escaped).
 */
public final class RegexCompiler {
    private RegexCompiler() {}

    /** A grammar whose sentences are the texts the regex matches in full. */
    public static Grammar compile(String regex) {
        List<Expr> options = new ArrayList<>();
        for (RegexParser.Branch b : RegexParser.parse(regex)) options.add(b.expr());
        RuleSet rules = new RuleSet();
        String root = rules.reserve("root");
        rules.set(root, Expr.alt(options));
        return rules.build(root);
    }

    /** JSON string content (between the quotes) whose decoded text contains a match of the pattern. */
    static Expr jsonStringContent(String pattern, JsonGrammar json) {
        List<Expr> options = new ArrayList<>();
        Expr anything = Expr.star(json.stringChar());
        for (RegexParser.Branch b : RegexParser.parse(pattern)) {
            options.add(seq(b.anchoredStart() ? Expr.EMPTY : anything, jsonEncoded(b.expr()), b.anchoredEnd() ? Expr.EMPTY : anything));
        }
        return Expr.alt(options);
    }

    /** Shortest and longest decoded string the pattern admits, in code points (longest -1: unbounded). */
    static long[] lengths(String pattern) {
        long min = Long.MAX_VALUE, max = 0;
        for (RegexParser.Branch b : RegexParser.parse(pattern)) {
            long[] l = RegexParser.lengths(b.expr());
            boolean open = !b.anchoredStart() || !b.anchoredEnd();
            min = Math.min(min, l[0]);
            max = max < 0 || l[1] < 0 || open ? -1 : Math.max(max, l[1]);
        }
        return new long[] {min, max};
    }

    /** The same language with each character written as it appears inside a JSON string. */
    static Expr jsonEncoded(Expr e) {
        return switch (e) {
            case Expr.Literal l -> {
                String q = Json.quote(l.text());
                yield lit(q.substring(1, q.length() - 1));
            }
            case Expr.Chars c -> {
                List<Expr> options = new ArrayList<>();
                int[] plain = CodepointSet.intersect(c.ranges(), JsonGrammar.PLAIN_CHARS);
                if (plain.length > 0) options.add(new Expr.Chars(plain));
                int[] escaped = CodepointSet.minus(c.ranges(), JsonGrammar.PLAIN_CHARS);
                for (int i = 0; i < escaped.length; i += 2) {
                    for (int cp = escaped[i]; cp <= escaped[i + 1]; cp++) options.add(jsonEncoded(lit(new String(Character.toChars(cp)))));
                }
                yield Expr.alt(options);
            }
            case Expr.Seq s -> Expr.seq(s.items().stream().map(RegexCompiler::jsonEncoded).toList());
            case Expr.Alt a -> Expr.alt(a.options().stream().map(RegexCompiler::jsonEncoded).toList());
            case Expr.Repeat r -> new Expr.Repeat(jsonEncoded(r.body()), r.min(), r.max());
            case Expr.Ref r -> r;
        };
    }
}
