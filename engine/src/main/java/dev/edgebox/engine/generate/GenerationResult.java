package dev.edgebox.engine.generate;

/**
 * The outcome of one generation.
 *
 * @param tokens        the generated token ids (including a final end-of-generation token, if any)
 * @param text          the generated text, without stop strings and end-of-generation tokens
 * @param promptTokens  tokens of the prompt
 * @param cachedTokens  prompt tokens whose KV entries were reused from an earlier turn
 * @param prefillNanos  time spent on the prompt
 * @param decodeNanos   time spent generating
 * @param seed          the sampling seed that was used
 */
public record GenerationResult(int[] tokens, String text, FinishReason finishReason, int promptTokens, int cachedTokens,
                               long prefillNanos, long decodeNanos, long seed) {

    public double prefillTokensPerSecond() {
        int n = promptTokens - cachedTokens;
        return prefillNanos == 0 ? 0 : n / (prefillNanos / 1e9);
    }

    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : tokens.length / (decodeNanos / 1e9);
    }
}
