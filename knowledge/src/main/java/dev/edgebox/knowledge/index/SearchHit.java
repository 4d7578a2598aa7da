package dev.edgebox.knowledge.index;

/**
 * One retrieved chunk.
 *
 * @param score the fused score in hybrid mode, else the retriever's own score
 * @param bm25Rank 1-based rank in the keyword list, 0 when absent from it
 * @param vectorRank 1-based rank in the vector list, 0 when absent from it
 */
public record SearchHit(StoredChunk chunk, float score, int bm25Rank, int vectorRank) {}
