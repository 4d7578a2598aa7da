package dev.edgebox.knowledge.chunk;

/**
 * Counts the tokens of a text for chunk sizes and prompt budgets. The default is the embedding
 * model's own tokenizer; a server can plug in its LLM's tokenizer so that a context budget is exact.
 */
@FunctionalInterface
public interface TokenCounter {
    int count(String text);
}
