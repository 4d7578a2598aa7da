package dev.edgebox.engine.grammar;

import java.util.function.Supplier;

/** Size limits that keep a grammar from a request within memory. */
final class Limits {
    /** Largest count in a bounded repetition {m,n}; each count becomes a small rule. */
    static final int MAX_REPEAT = 100_000;
    /** Largest lowered grammar, in elements. */
    static final int MAX_ELEMENTS = 4_000_000;

    private Limits() {}

    static Expr repeat(Expr item, int min, int max, Supplier<? extends RuntimeException> tooLarge) {
        if (min > MAX_REPEAT || max > MAX_REPEAT) throw tooLarge.get();
        return Expr.repeat(item, min, max);
    }
}
