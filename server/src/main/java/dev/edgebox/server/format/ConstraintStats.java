package dev.edgebox.server.format;

import java.util.concurrent.atomic.LongAdder;

/** Time constrained decoding spends in the grammar (masks and token checks) and the tokens it constrained, for metrics. */
public final class ConstraintStats {
    private final LongAdder nanos = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder masks = new LongAdder();

    void add(long grammarNanos) {
        nanos.add(grammarNanos);
    }

    void token() {
        tokens.increment();
    }

    void mask() {
        masks.increment();
    }

    /** Seconds spent in grammar work so far. */
    public double seconds() {
        return nanos.sum() / 1e9;
    }

    /** Tokens generated under a grammar so far. */
    public long tokens() {
        return tokens.sum();
    }

    /** Full token masks applied so far (the sampler's first draw was refused). */
    public long masks() {
        return masks.sum();
    }
}
