package dev.edgebox.engine.sampling;

/**
 * A step between the model's logits and the sampler that changes logits in place: penalties,
 * grammar masks (-infinity for tokens that would break the grammar), logit bias.
 */
public interface LogitProcessor {
    /**
     * @param logits  vocabulary-sized scores, changed in place
     * @param history the tokens of the sequence so far (prompt and generated), oldest first
     */
    void process(float[] logits, TokenHistory history);

    /** Told which token was chosen, for processors with state (grammars). */
    default void accept(int token) {}
}
