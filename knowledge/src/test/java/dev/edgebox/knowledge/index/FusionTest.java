package dev.edgebox.knowledge.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static List<Fusion.Ranked> list(int... docs) {
        return java.util.Arrays.stream(docs).mapToObj(d -> new Fusion.Ranked(d, 10f - d)).toList();
    }

    @Test
    void reciprocalRankFusionAddsOneOverKPlusRank() {
        // doc 1: ranks 1 and 3; doc 2: rank 2 and absent; doc 3: absent and rank 1; doc 4: ranks 3 and 2
        List<Fusion.Fused> fused = Fusion.RRF.fuse(list(1, 2, 4), list(3, 4, 1), 10);
        assertEquals(List.of(1, 4, 3, 2), fused.stream().map(Fusion.Fused::doc).toList());
        assertEquals(1.0 / 61 + 1.0 / 63, fused.get(0).score(), 1e-6);
        assertEquals(1.0 / 63 + 1.0 / 62, fused.get(1).score(), 1e-6);
        assertEquals(1, fused.get(0).bm25Rank());
        assertEquals(3, fused.get(0).vectorRank());
        assertEquals(0, fused.get(3).vectorRank());
        assertEquals(2, Fusion.RRF.fuse(list(1, 2, 4), list(3, 4, 1), 2).size());
    }

    @Test
    void weightedFusionMixesMinMaxNormalizedScores() {
        List<Fusion.Ranked> bm25 = List.of(new Fusion.Ranked(1, 12f), new Fusion.Ranked(2, 8f), new Fusion.Ranked(3, 4f));
        List<Fusion.Ranked> vec = List.of(new Fusion.Ranked(3, 0.9f), new Fusion.Ranked(2, 0.7f), new Fusion.Ranked(1, 0.5f));
        List<Fusion.Fused> fused = new Fusion.Weighted(0.75f).fuse(bm25, vec, 3);
        // normalized: bm25 1->1, 2->0.5, 3->0; vector 3->1, 2->0.5, 1->0
        assertEquals(List.of(3, 2, 1), fused.stream().map(Fusion.Fused::doc).toList());
        assertEquals(0.75, fused.get(0).score(), 1e-6);
        assertEquals(0.5, fused.get(1).score(), 1e-6);
        assertEquals(0.25, fused.get(2).score(), 1e-6);
    }

    @Test
    void parsing() {
        assertEquals(Fusion.RRF, Fusion.parse("RRF"));
        assertEquals(new Fusion.Weighted(0.5f), Fusion.parse("weighted"));
        assertEquals(new Fusion.Weighted(0.7f), Fusion.parse("weighted:0.7"));
        assertThrows(KnowledgeException.class, () -> Fusion.parse("weighted:2"));
        assertThrows(KnowledgeException.class, () -> Fusion.parse("max"));
        assertEquals(SearchMode.BM25, SearchMode.parse("bm25"));
        assertThrows(KnowledgeException.class, () -> SearchMode.parse("dense"));
    }
}
