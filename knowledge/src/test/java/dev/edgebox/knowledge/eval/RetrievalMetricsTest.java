package dev.edgebox.knowledge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values worked out by hand from the definitions trec_eval uses. */
class RetrievalMetricsTest {
    private static final Map<String, Integer> JUDGED = Map.of("a", 2, "b", 1, "c", 0, "d", 1);

    @Test
    void ndcgUsesGradedGainsAndTheIdealOrderOfTheJudgments() {
        List<String> ranking = List.of("x", "b", "c", "a");
        double dcg = 1 / log2(3) + 2 / log2(5);
        double ideal = 2 / log2(2) + 1 / log2(3) + 1 / log2(4);
        assertEquals(dcg / ideal, RetrievalMetrics.ndcg(ranking, JUDGED, 10), 1e-12);
        assertEquals(1 / log2(3) / (2 / log2(2) + 1 / log2(3)), RetrievalMetrics.ndcg(ranking, JUDGED, 2), 1e-12);
        assertEquals(1.0, RetrievalMetrics.ndcg(List.of("a", "b", "d"), JUDGED, 10), 1e-12);
        assertEquals(0.0, RetrievalMetrics.ndcg(List.of("x"), Map.of("c", 0), 10), 0);
    }

    @Test
    void recallAndReciprocalRankCountGradesAboveZero() {
        assertEquals(2 / 3.0, RetrievalMetrics.recall(List.of("c", "a", "x", "d"), JUDGED, 100), 1e-12);
        assertEquals(1 / 3.0, RetrievalMetrics.recall(List.of("c", "a", "x", "d"), JUDGED, 2), 1e-12);
        assertEquals(0.5, RetrievalMetrics.reciprocalRank(List.of("c", "a"), JUDGED, 10), 1e-12);
        assertEquals(0.0, RetrievalMetrics.reciprocalRank(List.of("c", "x", "a"), JUDGED, 2), 0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
