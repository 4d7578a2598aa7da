package dev.edgebox.knowledge.eval;

import dev.edgebox.knowledge.KbQuery;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.document.Block;
import dev.edgebox.knowledge.document.PageUnit;
import dev.edgebox.knowledge.document.ParsedDocument;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.SearchMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a BEIR-style evaluation through the same path users take: corpus records become documents
 * (title as heading, text as paragraph) chunked and indexed in a knowledge base; each judged query
 * retrieves chunks, and a document ranks where its best chunk does.
 */
public final class Evaluation {
    /** Chunks retrieved per query: enough for 100 distinct documents when documents have a few chunks. */
    private static final int CHUNKS_PER_QUERY = 300;
    private static final int COMMIT_EVERY = 256;
    private static final int SAMPLE_DOCUMENTS = 64;

    public interface Progress {
        default void indexed(int done, int total) {}

        default void queried(int done, int total) {}
    }

    private Evaluation() {}

    /**
     * Adds every corpus record; records already there with the same content are skipped. A base
     * created with language auto takes its embedder from a sample spread over the whole corpus.
     */
    public static void index(KnowledgeBase kb, List<BeirDataset.Doc> corpus, Progress progress) {
        if (kb.config().undecided()) kb.decideLanguage(sample(corpus));
        int pending = 0, added = 0;
        for (int i = 0; i < corpus.size(); i++) {
            BeirDataset.Doc d = corpus.get(i);
            byte[] content = (d.title() + "\u0000" + d.text()).getBytes(StandardCharsets.UTF_8);
            String hash = new SourceFile(d.id(), content).contentHash();
            var outcome = kb.add(d.id(), d.id(), hash, document(d), content.length);
            if (outcome.status() != KnowledgeBase.Status.UNCHANGED) added += outcome.record().chunks();
            if (outcome.status() != KnowledgeBase.Status.UNCHANGED && ++pending >= COMMIT_EVERY) {
                kb.commit();
                pending = 0;
            }
            progress.indexed(i + 1, corpus.size());
        }
        kb.commit();
        if (kb.worthOptimizing(added)) kb.optimize();
    }

    /** A corpus record as a document: its title as a heading, its text as one paragraph. */
    public static ParsedDocument document(BeirDataset.Doc d) {
        List<Block> blocks = new ArrayList<>();
        if (!d.title().isBlank()) blocks.add(Block.heading(1, d.title(), 0));
        if (!d.text().isBlank()) blocks.add(Block.paragraph(d.text(), 0));
        return new ParsedDocument(PageUnit.NONE, 0, blocks);
    }

    /** Titles and texts of up to 64 records spread evenly over the corpus. */
    static String sample(List<BeirDataset.Doc> corpus) {
        StringBuilder sb = new StringBuilder();
        int step = Math.max(1, corpus.size() / SAMPLE_DOCUMENTS);
        for (int i = 0; i < corpus.size(); i += step) sb.append(corpus.get(i).title()).append('\n').append(corpus.get(i).text()).append('\n');
        return sb.toString();
    }

    /** One result per mode; each query is embedded once for all modes. */
    public static List<EvalResult> run(KnowledgeBase kb, BeirDataset data, List<SearchMode> modes, Fusion fusion, Progress progress) {
        boolean needVectors = modes.stream().anyMatch(m -> m != SearchMode.BM25);
        double[][] sums = new double[modes.size()][3];
        int n = 0, total = data.qrels().size();
        for (Map.Entry<String, Map<String, Integer>> e : data.qrels().entrySet()) {
            String text = data.queries().get(e.getKey());
            if (text == null || text.isBlank()) continue;
            float[] vector = needVectors ? kb.embedder().embedQuery(text) : null;
            for (int m = 0; m < modes.size(); m++) {
                KbQuery q = new KbQuery(text, modes.get(m), CHUNKS_PER_QUERY, List.of(), fusion);
                List<String> ranking = documentRanking(kb.query(q, vector));
                sums[m][0] += RetrievalMetrics.ndcg(ranking, e.getValue(), 10);
                sums[m][1] += RetrievalMetrics.recall(ranking, e.getValue(), 100);
                sums[m][2] += RetrievalMetrics.reciprocalRank(ranking, e.getValue(), 10);
            }
            progress.queried(++n, total);
        }
        List<EvalResult> results = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            int d = Math.max(1, n);
            results.add(new EvalResult(modes.get(m).label(), n, sums[m][0] / d, sums[m][1] / d, sums[m][2] / d));
        }
        return results;
    }

    /** Documents in the order of their best chunk. */
    static List<String> documentRanking(List<SearchHit> hits) {
        Set<String> docs = new LinkedHashSet<>();
        for (SearchHit h : hits) docs.add(h.chunk().docId());
        return new ArrayList<>(docs);
    }
}
