package dev.edgebox.knowledge.chunk;

import dev.edgebox.knowledge.KnowledgeException;

/**
 * How big chunks are, in tokens of the {@link TokenCounter}.
 *
 * @param chunkTokens target size, 128-1024 (default 384)
 * @param overlapTokens how much of the end of a chunk the next one repeats, whole sentences only,
 *     0 to half the chunk size (default 64)
 */
public record ChunkingOptions(int chunkTokens, int overlapTokens) {
    public static final int MIN_TOKENS = 128;
    public static final int MAX_TOKENS = 1024;
    public static final ChunkingOptions DEFAULT = new ChunkingOptions(384, 64);

    public ChunkingOptions {
        if (chunkTokens < MIN_TOKENS || chunkTokens > MAX_TOKENS) {
            throw new KnowledgeException("chunk size " + chunkTokens + " tokens is out of range; expected "
                    + MIN_TOKENS + " to " + MAX_TOKENS);
        }
        if (overlapTokens < 0 || overlapTokens > chunkTokens / 2) {
            throw new KnowledgeException("chunk overlap " + overlapTokens + " tokens is out of range; expected 0 to "
                    + chunkTokens / 2 + " (half the chunk size)");
        }
    }
}
