package dev.edgebox.knowledge;

import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchMode;
import java.util.List;

/**
 * A search of a knowledge base.
 *
 * @param k how many chunks to return
 * @param sources glob patterns (* and ?) on the source path, file name or document id; empty for all
 */
public record KbQuery(String text, SearchMode mode, int k, List<String> sources, Fusion fusion) {
    public static final int MAX_K = 1000;

    public KbQuery {
        if (text == null || text.isBlank()) throw new KnowledgeException("the query is empty; expected some text to search for");
        if (k < 1 || k > MAX_K) throw new KnowledgeException("top k " + k + " is out of range; expected 1 to " + MAX_K);
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (mode == null) mode = SearchMode.HYBRID;
        if (fusion == null) fusion = Fusion.RRF;
    }

    public static KbQuery of(String text, int k) {
        return new KbQuery(text, SearchMode.HYBRID, k, List.of(), Fusion.RRF);
    }

    public KbQuery withMode(SearchMode m) {
        return new KbQuery(text, m, k, sources, fusion);
    }
}
