package dev.edgebox.knowledge.eval;

import java.util.List;
import java.util.Map;

/**
 * The standard ranking metrics, as trec_eval / pytrec_eval compute them: graded gains for nDCG
 * (gain = grade, log2 discount, ideal ranking from the judgments), binary relevance (grade > 0) for
 * recall and reciprocal rank.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    public static double ndcg(List<String> ranking, Map<String, Integer> judged, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            int g = judged.getOrDefault(ranking.get(i), 0);
            if (g > 0) dcg += g / log2(i + 2);
        }
        int[] ideal = judged.values().stream().filter(g -> g > 0).sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i] / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static double recall(List<String> ranking, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) return 0;
        long found = ranking.stream().limit(k).filter(d -> judged.getOrDefault(d, 0) > 0).count();
        return (double) found / relevant;
    }

    public static double reciprocalRank(List<String> ranking, Map<String, Integer> judged, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judged.getOrDefault(ranking.get(i), 0) > 0) return 1.0 / (i + 1);
        }
        return 0;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
