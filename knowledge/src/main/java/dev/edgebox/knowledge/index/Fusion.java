package dev.edgebox.knowledge.index;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges a keyword ranking and a vector ranking into one.
 * Reciprocal rank fusion (the default) adds 1/(k + rank) from each list and needs no score
 * calibration; weighted fusion min-max normalizes each list's scores and mixes them.
 */
public sealed interface Fusion {

    /** A result of one retriever: its id and raw score, in rank order. */
    record Ranked(int doc, float score) {}

    /** A fused result, with its 1-based rank in each input list (0 when absent). */
    record Fused(int doc, float score, int bm25Rank, int vectorRank) {}

    List<Fused> fuse(List<Ranked> bm25, List<Ranked> vector, int limit);

    /** RRF with k = 60, the constant of Cormack et al. that most systems use. */
    Fusion RRF = new Rrf(60);

    /** @param k rank damping: larger k flattens the difference between top and lower ranks */
    record Rrf(int k) implements Fusion {
        @Override
        public List<Fused> fuse(List<Ranked> bm25, List<Ranked> vector, int limit) {
            return merge(bm25, vector, limit, (rank, score, list) -> 1.0f / (k + rank));
        }
    }

    /** @param vectorWeight share of the vector score, 0 to 1; the rest is the keyword score */
    record Weighted(float vectorWeight) implements Fusion {
        public Weighted {
            if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
                throw new KnowledgeException("fusion weight " + vectorWeight + " is out of range; expected 0 to 1");
            }
        }

        @Override
        public List<Fused> fuse(List<Ranked> bm25, List<Ranked> vector, int limit) {
            float[] b = range(bm25), v = range(vector);
            return merge(bm25, vector, limit, (rank, score, list) -> list == 0
                    ? (1 - vectorWeight) * normalized(score, b)
                    : vectorWeight * normalized(score, v));
        }

        private static float[] range(List<Ranked> list) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (Ranked r : list) {
                min = Math.min(min, r.score());
                max = Math.max(max, r.score());
            }
            return new float[] {min, max};
        }

        private static float normalized(float score, float[] range) {
            return range[1] > range[0] ? (score - range[0]) / (range[1] - range[0]) : 1f;
        }
    }

    /** "rrf", "weighted" or "weighted:0.7". */
    static Fusion parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("rrf")) return RRF;
        if (t.equals("weighted")) return new Weighted(0.5f);
        if (t.startsWith("weighted:")) {
            try {
                return new Weighted(Float.parseFloat(t.substring("weighted:".length())));
            } catch (NumberFormatException e) {
                throw new KnowledgeException("bad fusion weight in '" + s + "'; expected e.g. weighted:0.7");
            }
        }
        throw new KnowledgeException("unknown fusion '" + s + "'; expected rrf, weighted or weighted:<vector weight>");
    }

    @FunctionalInterface
    interface Contribution {
        /** @param list 0 for the keyword list, 1 for the vector list */
        float of(int rank, float score, int list);
    }

    private static List<Fused> merge(List<Ranked> bm25, List<Ranked> vector, int limit, Contribution c) {
        Map<Integer, float[]> acc = new LinkedHashMap<>(); // doc -> {score, bm25Rank, vectorRank}
        for (int i = 0; i < bm25.size(); i++) {
            float[] a = acc.computeIfAbsent(bm25.get(i).doc(), d -> new float[3]);
            a[0] += c.of(i + 1, bm25.get(i).score(), 0);
            a[1] = i + 1;
        }
        for (int i = 0; i < vector.size(); i++) {
            float[] a = acc.computeIfAbsent(vector.get(i).doc(), d -> new float[3]);
            a[0] += c.of(i + 1, vector.get(i).score(), 1);
            a[2] = i + 1;
        }
        List<Fused> out = new ArrayList<>(acc.size());
        acc.forEach((doc, a) -> out.add(new Fused(doc, a[0], (int) a[1], (int) a[2])));
        out.sort(Comparator.comparingDouble((Fused f) -> -f.score()).thenComparingInt(Fused::doc));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }
}
