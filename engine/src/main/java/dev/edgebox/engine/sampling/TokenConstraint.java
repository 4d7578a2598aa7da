package dev.edgebox.engine.sampling;

/**
 * A logit processor that only forbids tokens, never reweights them: a grammar. Because it only
 * forbids, the sampler may draw from the unconstrained logits first and apply the full mask only
 * when the drawn token is not allowed (as llama.cpp does); the chosen token is allowed either way.
 */
public interface TokenConstraint extends LogitProcessor {

    /** Whether the token may come next; agrees with what {@link #process} leaves finite. */
    boolean allows(int token);

    /** The output is finished: nothing may follow (end-of-generation is then the only sensible step). */
    boolean isComplete();
}
