package dev.edgebox.knowledge.index;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.Locale;

/** Which retrieval to run: keywords, vectors, or both fused. */
public enum SearchMode {
    BM25, VECTOR, HYBRID;

    public static SearchMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KnowledgeException("unknown search mode '" + s + "'; expected bm25, vector or hybrid");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
