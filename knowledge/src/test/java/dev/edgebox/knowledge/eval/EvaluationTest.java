package dev.edgebox.knowledge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.BgeEmbedder;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchMode;
import dev.edgebox.knowledge.testing.Shared;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SciFact end to end on a subset small enough for a unit test: the documents judged for the first
 * 20 judged queries plus distractors, all three modes, with the bundled model. The full collection
 * is measured with 'edgebox kb eval' (see docs/knowledge.md).
 */
class EvaluationTest {
    @TempDir
    Path tmp;

    @Test
    void scifactSubsetAllModes() {
        Path dir = Shared.require("data/scifact");
        BeirDataset full = BeirDataset.load(dir.resolve("corpus.jsonl"), dir.resolve("queries.jsonl"), dir.resolve("qrels/train.tsv"));
        assertEquals(5183, full.corpus().size());
        assertEquals(809, full.qrels().size());

        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        full.qrels().entrySet().stream().limit(20).forEach(e -> qrels.put(e.getKey(), e.getValue()));
        Set<String> judged = new HashSet<>();
        qrels.values().forEach(m -> judged.addAll(m.keySet()));
        List<BeirDataset.Doc> corpus = new ArrayList<>();
        for (int i = 0; i < full.corpus().size(); i++) {
            BeirDataset.Doc d = full.corpus().get(i);
            if (judged.contains(d.id()) || i % 100 == 0) corpus.add(d); // every 100th document as a distractor
        }
        BeirDataset subset = new BeirDataset(corpus, full.queries(), qrels);

        try (Embedder embedder = new BgeEmbedder(BgeEmbedder.ZH);
             KnowledgeBase kb = KnowledgeBase.create(tmp.resolve("kb"),
                     KbConfig.of(BgeEmbedder.ZH.id(), BgeEmbedder.ZH.dimension(), ChunkingOptions.DEFAULT), id -> embedder)) {
            Evaluation.index(kb, corpus, new Evaluation.Progress() { });
            assertEquals(corpus.size(), kb.stats().documents());
            Evaluation.index(kb, corpus, new Evaluation.Progress() { }); // unchanged: a no-op
            assertEquals(corpus.size(), kb.stats().documents());

            List<EvalResult> r = Evaluation.run(kb, subset, List.of(SearchMode.BM25, SearchMode.VECTOR, SearchMode.HYBRID), Fusion.RRF,
                    new Evaluation.Progress() { });
            EvalResult bm25 = r.get(0), vector = r.get(1), hybrid = r.get(2);
            for (EvalResult e : r) {
                assertEquals(20, e.queries());
                assertTrue(e.recall100() > 0.9, e.toString());
            }
            // 67 documents make this easy (measured: bm25 0.83, vector 0.62, hybrid 0.78 nDCG@10); the bounds sit
            // under that and far above chance (0.1)
            assertTrue(bm25.ndcg10() > 0.75, bm25.toString());
            assertTrue(vector.ndcg10() > 0.5, vector.toString());
            assertTrue(hybrid.ndcg10() > 0.7, hybrid.toString());
        }
    }
}
