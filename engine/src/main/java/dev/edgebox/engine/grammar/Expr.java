package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a grammar rule as written: what the GBNF parser reads and what the compilers (JSON
 * Schema, regex, choices) build. {@link Grammar} lowers it to byte-level rules. Characters are
 * Unicode code points; lowering turns them into UTF-8 bytes.
 */
sealed interface Expr {

    /** A literal text (code points); the empty literal matches nothing, i.e. the empty string. */
    record Literal(String text) implements Expr {}

    /**
     * One code point out of a set, as sorted, disjoint, non-adjacent inclusive ranges
     * [lo0, hi0, lo1, hi1, ...]. Surrogates (U+D800..U+DFFF) are never members: they are not
     * characters and have no UTF-8 form.
     */
    record Chars(int[] ranges) implements Expr {
        public Chars {
            ranges = CodepointSet.normalize(ranges);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chars c && Arrays.equals(ranges, c.ranges);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ranges);
        }

        @Override
        public String toString() {
            return "Chars" + Arrays.toString(ranges);
        }
    }

    record Seq(List<Expr> items) implements Expr {
        public Seq {
            items = List.copyOf(items);
        }
    }

    record Alt(List<Expr> options) implements Expr {
        public Alt {
            options = List.copyOf(options);
        }
    }

    /** body repeated min..max times; max = -1 means without limit. */
    record Repeat(Expr body, int min, int max) implements Expr {}

    /** A reference to a named rule; offset is where it was written in GBNF source (-1 if built in code). */
    record Ref(String name, int offset) implements Expr {
        public Ref(String name) {
            this(name, -1);
        }
    }

    Expr EMPTY = new Literal("");

    static Expr lit(String s) {
        return new Literal(s);
    }

    static Expr ref(String name) {
        return new Ref(name);
    }

    static Expr chars(int... ranges) {
        return new Chars(ranges);
    }

    /** A sequence, flattened and without empty literals; a single item stands for itself. */
    static Expr seq(Expr... items) {
        return seq(Arrays.asList(items));
    }

    static Expr seq(List<Expr> items) {
        List<Expr> flat = new ArrayList<>();
        for (Expr e : items) {
            if (e instanceof Seq s) flat.addAll(s.items());
            else if (!(e instanceof Literal l && l.text().isEmpty())) flat.add(e);
        }
        if (flat.isEmpty()) return EMPTY;
        return flat.size() == 1 ? flat.getFirst() : new Seq(flat);
    }

    static Expr alt(Expr... options) {
        return alt(Arrays.asList(options));
    }

    static Expr alt(List<Expr> options) {
        List<Expr> flat = new ArrayList<>();
        for (Expr e : options) {
            if (e instanceof Alt a) flat.addAll(a.options());
            else flat.add(e);
        }
        if (flat.isEmpty()) throw new IllegalArgumentException("an alternation needs at least one option");
        return flat.size() == 1 ? flat.getFirst() : new Alt(flat);
    }

    static Expr optional(Expr e) {
        return new Repeat(e, 0, 1);
    }

    static Expr star(Expr e) {
        return new Repeat(e, 0, -1);
    }

    static Expr plus(Expr e) {
        return new Repeat(e, 1, -1);
    }

    static Expr repeat(Expr e, int min, int max) {
        if (max == 0) return EMPTY;
        if (min == 1 && max == 1) return e;
        return new Repeat(e, min, max);
    }
}
