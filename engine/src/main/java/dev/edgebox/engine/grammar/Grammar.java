package dev.edgebox.engine.grammar;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A context-free grammar over UTF-8 bytes, ready for matching. Built from GBNF text
 * ({@link #parse}) or by the compilers ({@link JsonSchemaCompiler}, {@link RegexCompiler},
 * {@link Grammars}). Immutable and thread-safe; each generation matches it with its own
 * {@link GrammarMatcher} or {@link GrammarConstraint}.
 *
 * <p>The lowered form is llama.cpp's: every rule is a list of alternatives, each a run of
 * elements ended by {@link #END}. An element is a byte set (a terminal) or a reference to a rule.
 * Repetitions and groups have become rules of their own, and character classes outside ASCII have
 * become alternatives of UTF-8 byte patterns, so the matcher never decodes characters.
 * Left recursion is rejected when the grammar is built, since a stack-based matcher would expand
 * it forever.
 */
public final class Grammar {
    static final int END = 0;
    static final int BYTES = 1;
    static final int RULE = 2;

    /** Per element position: END, BYTES or RULE. */
    final byte[] kind;
    /** Per element position: the terminal index (BYTES) or the rule id (RULE). */
    final int[] arg;
    /** Per terminal: 256 bits, four longs. */
    final long[] terminalBits;
    /** Per rule: the first element position of each alternative. */
    final int[][] alternatives;
    final String[] ruleNames;
    final int root;
    private final Map<String, Expr> source;
    private final String rootName;

    Grammar(byte[] kind, int[] arg, long[] terminalBits, int[][] alternatives, String[] ruleNames, int root,
            Map<String, Expr> source, String rootName) {
        this.kind = kind;
        this.arg = arg;
        this.terminalBits = terminalBits;
        this.alternatives = alternatives;
        this.ruleNames = ruleNames;
        this.root = root;
        this.source = Collections.unmodifiableMap(new LinkedHashMap<>(source));
        this.rootName = rootName;
    }

    /** Parses GBNF text whose start rule is {@code root}; errors name the line and column. */
    public static Grammar parse(String gbnf) {
        GbnfParser.Result r = GbnfParser.parse(gbnf);
        if (!r.rules().containsKey("root")) {
            throw new GrammarSyntaxException("the grammar has no 'root' rule", "grammar syntax", gbnf, 0);
        }
        return Lowering.lower(r.rules(), "root", (name, offset) -> new GrammarSyntaxException(
                "undefined rule '" + name + "'", "grammar syntax", gbnf, offset), r.offsets(), gbnf);
    }

    /** A grammar from rules built in code (by the compilers). */
    static Grammar of(Map<String, Expr> rules, String root) {
        return Lowering.lower(rules, root, (name, offset) -> new IllegalStateException("undefined rule " + name), Map.of(), null);
    }

    /** The grammar as GBNF text, which {@link #parse} reads back to the same language. */
    public String toGbnf() {
        return GbnfPrinter.print(source, rootName);
    }

    /** Whether the whole text is a sentence of the grammar. */
    public boolean matches(String text) {
        GrammarMatcher m = new GrammarMatcher(this);
        return m.advance(text.getBytes(StandardCharsets.UTF_8)) && m.canEnd();
    }

    /** Number of rules after lowering (repetitions and groups count as rules). */
    public int ruleCount() {
        return alternatives.length;
    }

    boolean terminalAccepts(int terminal, int b) {
        return (terminalBits[terminal * 4 + (b >>> 6)] >>> (b & 63) & 1L) != 0;
    }

    @Override
    public String toString() {
        return toGbnf();
    }
}
