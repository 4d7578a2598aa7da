package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.eval.BeirDataset;
import dev.edgebox.knowledge.eval.EvalResult;
import dev.edgebox.knowledge.eval.Evaluation;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = {
        "Measure retrieval on a BEIR-style collection: nDCG@10, Recall@100 and MRR@10 over the judged queries.",
        "The corpus is chunked and embedded like any document; a document ranks where its best chunk does."})
final class KbEval extends KbSubcommand {
    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "corpus.jsonl: {\"_id\",\"title\",\"text\"} per line.")
    Path corpus;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "queries.jsonl: {\"_id\",\"text\"} per line.")
    Path queries;

    @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "Judgments: query-id, corpus-id, grade (TSV; header optional).")
    Path qrels;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid", description = "bm25, vector, hybrid, a comma list, or all (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--fusion", paramLabel = "F", defaultValue = "rrf", description = "Hybrid fusion: rrf (default) or weighted[:vector-weight].")
    String fusion;

    @Option(names = "--kb-dir", paramLabel = "DIR",
            description = "Keep the index in DIR and reuse it next time (only changed records are embedded again); default: a temporary directory.")
    Path kbDir;

    @Mixin
    EmbedderOptions embedding;

    @Option(names = "--embedding-cache", paramLabel = "DIR",
            description = "Remember every vector made here, so a rebuilt index or a later run costs no model time (default: $EDGEBOX_HOME/cache/embeddings or ~/.edgebox/cache/embeddings).")
    Path cacheDir;

    @Option(names = "--no-embedding-cache", description = "Embed everything afresh and remember nothing.")
    boolean noCache;

    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "384", description = "Chunk size for a new index (default: ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "64", description = "Chunk overlap for a new index (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--json", description = "One JSON object per mode: {\"mode\",\"queries\",\"ndcg@10\",\"recall@100\",\"mrr@10\"}.")
    boolean json;

    @Override
    int run(KnowledgeBases bases) throws Exception {
        List<SearchMode> modes = mode.equalsIgnoreCase("all") ? List.of(SearchMode.values())
                : Arrays.stream(mode.split(",")).map(SearchMode::parse).distinct().toList();
        Fusion f = Fusion.parse(fusion);
        BeirDataset data = BeirDataset.load(corpus, queries, qrels);
        if (data.corpus().isEmpty()) throw new KnowledgeException(corpus + " holds no documents");
        Path dir = kbDir != null ? kbDir : Files.createTempDirectory("edgebox-eval");
        try (EmbedderCache embedders = new EmbedderCache(noCache ? null : cacheDir != null ? cacheDir : EmbedderCache.defaultDir(), bases)) {
            KnowledgeBase kb = Files.exists(dir.resolve(KbConfig.FILE))
                    ? KnowledgeBase.open(dir, embedders::embedder)
                    : KnowledgeBase.create(dir, embedding.config(new ChunkingOptions(chunkTokens, overlap)), embedders::embedder);
            try (kb) {
                long start = System.nanoTime();
                Evaluation.index(kb, data.corpus(), new Evaluation.Progress() {
                    long last;

                    @Override
                    public void indexed(int done, int total) {
                        long now = System.nanoTime();
                        if (now - last < 2_000_000_000L && done < total) return;
                        last = now;
                        err().printf("indexed %d/%d documents (%.0f s)%n", done, total, (now - start) / 1e9);
                        err().flush();
                    }
                });
                err().printf("embedder %s%n", kb.config().embedder());
                List<EvalResult> results = Evaluation.run(kb, data, modes, f, new Evaluation.Progress() { });
                print(results, data.corpus().size(), kb.stats().chunks(), kb.config().embedder());
            }
        } finally {
            if (kbDir == null) deleteTree(dir);
        }
        return 0;
    }

    private void print(List<EvalResult> results, int documents, int chunks, String embedderId) throws IOException {
        if (json) {
            for (EvalResult r : results) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("mode", r.mode());
                o.put("embedder", embedderId);
                o.put("queries", r.queries());
                o.put("ndcg@10", round(r.ndcg10()));
                o.put("recall@100", round(r.recall100()));
                o.put("mrr@10", round(r.mrr10()));
                out().println(KbQueryCommand.JSON.writeValueAsString(o));
            }
            return;
        }
        out().printf("%d judged queries, %d documents in %d chunks, embedder %s%n", results.getFirst().queries(), documents, chunks, embedderId);
        out().printf("%-8s %8s %11s %8s%n", "mode", "nDCG@10", "Recall@100", "MRR@10");
        for (EvalResult r : results) out().printf("%-8s %8.4f %11.4f %8.4f%n", r.mode(), r.ndcg10(), r.recall100(), r.mrr10());
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) Files.deleteIfExists(p);
    }
}
