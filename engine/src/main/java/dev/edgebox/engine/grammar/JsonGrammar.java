package dev.edgebox.engine.grammar;

import static dev.edgebox.engine.grammar.Expr.alt;
import static dev.edgebox.engine.grammar.Expr.chars;
import static dev.edgebox.engine.grammar.Expr.lit;
import static dev.edgebox.engine.grammar.Expr.optional;
import static dev.edgebox.engine.grammar.Expr.repeat;
import static dev.edgebox.engine.grammar.Expr.seq;
import static dev.edgebox.engine.grammar.Expr.star;

/**
 * The pieces of JSON as grammar rules: whitespace, strings, numbers, any value. Strings never
 * contain \\u escapes of surrogates, so every generated string is valid Unicode and its length in
 * code points is the number of characters (or escapes) the grammar counted. Numbers without
 * bounds have at most {@link #MAX_INT_DIGITS} integer and {@link #MAX_FRACTION_DIGITS} fraction
 * digits, so a model cannot run on digits forever.
 */
final class JsonGrammar {
    static final int MAX_INT_DIGITS = 18;
    static final int MAX_FRACTION_DIGITS = 16;
    static final int MAX_EXPONENT_DIGITS = 3;

    /** The characters that appear in a JSON string unescaped: all but '"', '\' and controls. */
    static final int[] PLAIN_CHARS = CodepointSet.minus(CodepointSet.ALL, CodepointSet.normalize(new int[] {0, 0x1F, '"', '"', '\\', '\\'}));

    private final RuleSet rules;
    private final JsonOptions options;

    JsonGrammar(RuleSet rules, JsonOptions options) {
        this.rules = rules;
        this.options = options;
    }

    RuleSet rules() {
        return rules;
    }

    Expr ws() {
        if (!options.whitespace()) return Expr.EMPTY;
        return rules.shared("ws", () -> optional(alt(lit(" "), seq(lit("\n"), repeat(chars(' ', ' ', '\t', '\t'), 0, options.maxIndent())))));
    }

    /** One character of a JSON string: a plain character or an escape (no surrogate escapes). */
    Expr stringChar() {
        return rules.shared("char", () -> {
            Expr hex = chars('0', '9', 'a', 'f', 'A', 'F');
            Expr nonSurrogate = alt(seq(chars('0', '9', 'a', 'c', 'A', 'C', 'e', 'f', 'E', 'F'), hex, hex, hex),
                    seq(chars('d', 'd', 'D', 'D'), chars('0', '7'), hex, hex));
            Expr escape = seq(lit("\\"), alt(chars('"', '"', '\\', '\\', '/', '/', 'b', 'b', 'f', 'f', 'n', 'n', 'r', 'r', 't', 't'),
                    seq(lit("u"), nonSurrogate)));
            return alt(new Expr.Chars(PLAIN_CHARS), escape);
        });
    }

    Expr string() {
        return rules.shared("string", () -> seq(lit("\""), star(stringChar()), lit("\"")));
    }

    /** A string of min..max characters (max -1: no limit). */
    Expr string(int min, int max) {
        if (min == 0 && max < 0) return string();
        return seq(lit("\""), repeat(stringChar(), min, max), lit("\""));
    }

    Expr integer() {
        return rules.shared("integer", () -> seq(optional(lit("-")), unsignedInteger(MAX_INT_DIGITS)));
    }

    static Expr unsignedInteger(int maxDigits) {
        return alt(lit("0"), seq(chars('1', '9'), repeat(chars('0', '9'), 0, maxDigits - 1)));
    }

    Expr number() {
        return rules.shared("number", () -> seq(
                optional(lit("-")), unsignedInteger(MAX_INT_DIGITS),
                optional(seq(lit("."), repeat(chars('0', '9'), 1, MAX_FRACTION_DIGITS))),
                optional(seq(chars('e', 'e', 'E', 'E'), optional(chars('+', '+', '-', '-')), repeat(chars('0', '9'), 1, MAX_EXPONENT_DIGITS)))));
    }

    Expr bool() {
        return rules.shared("boolean", () -> alt(lit("true"), lit("false")));
    }

    Expr nul() {
        return rules.shared("null", () -> lit("null"));
    }

    /** Any JSON value. */
    Expr value() {
        return rules.shared("value", () -> alt(object(), array(), string(), number(), bool(), nul()));
    }

    /** Any JSON object. */
    Expr object() {
        return rules.shared("object", () -> {
            Expr member = seq(string(), ws(), lit(":"), ws(), value());
            return container("{", member, "}");
        });
    }

    Expr array() {
        return rules.shared("array", () -> container("[", value(), "]"));
    }

    /** open ws (item (ws "," ws item)* ws)? close: no ambiguity between the whitespace runs. */
    Expr container(String open, Expr item, String close) {
        Expr more = star(seq(ws(), lit(","), ws(), item));
        return seq(lit(open), ws(), optional(seq(item, more, ws())), lit(close));
    }

    /** The separator between array items or object members. */
    Expr comma() {
        return seq(ws(), lit(","), ws());
    }
}
