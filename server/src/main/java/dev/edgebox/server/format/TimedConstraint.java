package dev.edgebox.server.format;

import dev.edgebox.engine.sampling.TokenConstraint;
import dev.edgebox.engine.sampling.TokenHistory;

/**
 * A grammar constraint that adds the time it takes to {@link ConstraintStats}: what a schema costs
 * per token on a running server, next to the decode time the other metrics show.
 */
public final class TimedConstraint implements TokenConstraint {
    private final TokenConstraint inner;
    private final ConstraintStats stats;

    public TimedConstraint(TokenConstraint inner, ConstraintStats stats) {
        this.inner = inner;
        this.stats = stats;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        long t0 = System.nanoTime();
        inner.process(logits, history);
        stats.add(System.nanoTime() - t0);
        stats.mask();
    }

    @Override
    public boolean allows(int token) {
        long t0 = System.nanoTime();
        boolean ok = inner.allows(token);
        stats.add(System.nanoTime() - t0);
        return ok;
    }

    @Override
    public void accept(int token) {
        long t0 = System.nanoTime();
        inner.accept(token);
        stats.add(System.nanoTime() - t0);
        stats.token();
    }

    @Override
    public boolean isComplete() {
        return inner.isComplete();
    }
}
