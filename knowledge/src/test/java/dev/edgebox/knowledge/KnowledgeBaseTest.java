package dev.edgebox.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KnowledgeBase.Status;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.SearchMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Add, update, remove, search and reopen, with the model-free embedder. */
class KnowledgeBaseTest {
    @TempDir
    Path dir;

    private static final String SAFETY = """
            # Safety rules

            Always wear gloves when handling the press. Goggles protect your eyes from metal chips.

            ## Emergency

            Press the red button to stop the machine at once.
            """;
    private static final String MAINTENANCE = "Oil the bearings every week.\n\nReplace the hydraulic filter every three months.\n";
    private static final String CHINESE = "设备每周保养一次。操作时必须佩戴护目镜和手套。\n\n发现异常立即停机，并联系维修部门。\n";

    private KnowledgeBase create() {
        return KnowledgeBase.create(dir.resolve("kb"), KbConfig.of(HashingEmbedder.ID, HashingEmbedder.DIMENSION, ChunkingOptions.DEFAULT),
                id -> new HashingEmbedder());
    }

    private static SourceFile file(String name, String text) {
        return new SourceFile(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> docIds(List<SearchHit> hits) {
        return hits.stream().map(h -> h.chunk().docId()).toList();
    }

    @Test
    void addSearchUpdateRemoveAndReopen() {
        try (KnowledgeBase kb = create()) {
            assertEquals(Status.ADDED, kb.add(file("/docs/safety.md", SAFETY), "safety", n -> { }).status());
            assertEquals(Status.ADDED, kb.add(file("/docs/maintenance.txt", MAINTENANCE), "maintenance", n -> { }).status());
            assertEquals(Status.ADDED, kb.add(file("/docs/规程.txt", CHINESE), "zh", n -> { }).status());
            kb.commit();
            assertEquals(3, kb.stats().documents());

            for (SearchMode mode : SearchMode.values()) {
                List<SearchHit> hits = kb.query(new KbQuery("red button to stop the machine", mode, 3, List.of(), Fusion.RRF));
                assertEquals("safety", hits.getFirst().chunk().docId(), mode + " finds the emergency rule");
                assertEquals(List.of("Safety rules", "Emergency"), hits.getFirst().chunk().headings());
            }
            List<SearchHit> zh = kb.query(new KbQuery("护目镜", SearchMode.BM25, 3, List.of(), Fusion.RRF));
            assertEquals(List.of("zh"), docIds(zh), "Chinese words are segmented for BM25");
            SearchHit hybrid = kb.query(KbQuery.of("hydraulic filter", 5)).getFirst();
            assertEquals("maintenance", hybrid.chunk().docId());
            assertTrue(hybrid.bm25Rank() == 1 && hybrid.vectorRank() == 1, "both retrievers agree: " + hybrid);

            // filters by source pattern, file name or id
            assertEquals(List.of("maintenance"), docIds(kb.query(new KbQuery("every", SearchMode.BM25, 5, List.of("*.txt"), null)))
                    .stream().filter(d -> !d.equals("zh")).toList());
            assertTrue(docIds(kb.query(new KbQuery("machine gloves oil", SearchMode.HYBRID, 10, List.of("safety.md"), null)))
                    .stream().allMatch("safety"::equals));

            // unchanged content: nothing happens
            long added = kb.document("safety").orElseThrow().addedAt();
            assertEquals(Status.UNCHANGED, kb.add(file("/docs/safety.md", SAFETY), "safety", n -> { }).status());
            assertEquals(added, kb.document("safety").orElseThrow().addedAt());

            // changed content: the old chunks are gone, the new ones are found
            assertEquals(Status.UPDATED, kb.add(file("/docs/maintenance.txt", "Grease the chain daily."), "maintenance", n -> { }).status());
            kb.commit();
            assertEquals(3, kb.stats().documents());
            assertTrue(kb.query(new KbQuery("hydraulic filter", SearchMode.BM25, 5, List.of(), null)).isEmpty());
            assertEquals("maintenance", kb.query(new KbQuery("grease chain", SearchMode.BM25, 5, List.of(), null)).getFirst().chunk().docId());
            assertEquals(1, kb.chunks("maintenance").size());

            assertFalse(kb.remove("nope"));
            assertTrue(kb.remove("zh"));
            assertTrue(kb.query(new KbQuery("护目镜", SearchMode.BM25, 3, List.of(), null)).isEmpty());
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), id -> new HashingEmbedder())) {
            assertEquals(List.of("maintenance", "safety"), kb.documents().stream().map(d -> d.docId()).toList());
            assertEquals(2, kb.stats().documents());
            assertEquals("safety", kb.query(KbQuery.of("gloves goggles", 1)).getFirst().chunk().docId());
            assertEquals(Status.UNCHANGED, kb.add(file("/docs/safety.md", SAFETY), "safety", n -> { }).status());
        }
    }

    @Test
    void pagesAndFileNamesTravelWithChunks() {
        try (KnowledgeBase kb = create()) {
            kb.add(file("/a/b/manual.md", SAFETY), "/a/b/manual.md", n -> { });
            kb.commit();
            var chunk = kb.query(KbQuery.of("red button", 1)).getFirst().chunk();
            assertEquals("manual.md", chunk.fileName());
            assertEquals("/a/b/manual.md", chunk.source());
            assertEquals(64, chunk.contentHash().length());
        }
    }

    @Test
    void badInputIsAClearError() {
        try (KnowledgeBase kb = create()) {
            assertThrows(KnowledgeException.class, () -> KbQuery.of(" ", 5));
            assertThrows(KnowledgeException.class, () -> KbQuery.of("x", 0));
            var e = assertThrows(KnowledgeException.class, () -> kb.add(file("x.exe", "MZ"), "x", n -> { }));
            assertTrue(e.getMessage().contains("unsupported file type '.exe'"), e.getMessage());
        }
        assertThrows(KnowledgeException.class, this::create, "a second create in the same place");
        var missing = assertThrows(KnowledgeException.class, () -> KnowledgeBase.open(dir.resolve("none"), id -> new HashingEmbedder()));
        assertTrue(missing.getMessage().startsWith("no knowledge base at "), missing.getMessage());
    }

    @Test
    void aBigAdditionIsMergedIntoOneSegmentAndSearchesFindTheSame() {
        try (KnowledgeBase kb = create()) {
            for (int i = 0; i < 30; i++) {
                kb.add(file("/docs/press-" + i + ".txt", "Press " + i + " needs oil every " + (i % 5 + 1) + " weeks.\n"), "press-" + i, n -> { });
                kb.commit(); // a segment per commit, as an ingestion of many files makes
            }
            assertTrue(kb.stats().segments() > 1, "segments: " + kb.stats().segments());
            KbQuery q = new KbQuery("press 7 oil", SearchMode.HYBRID, 5, List.of(), Fusion.RRF);
            KbQuery keywords = q.withMode(SearchMode.BM25);
            List<String> before = docIds(kb.query(q));
            List<Float> scores = kb.query(keywords).stream().map(SearchHit::score).toList();
            assertFalse(kb.worthOptimizing(2), "2 of 30 chunks is less than a tenth");
            assertTrue(kb.worthOptimizing(30));
            kb.optimize();
            assertEquals(1, kb.stats().segments());
            assertEquals(30, kb.stats().chunks());
            // equal scores tie-break by Lucene doc number, which a merge renumbers: compare the best hit and the scores
            assertEquals("press-7", before.getFirst());
            assertEquals("press-7", docIds(kb.query(q)).getFirst());
            assertEquals(scores, kb.query(keywords).stream().map(SearchHit::score).toList());
            assertFalse(kb.worthOptimizing(30), "one segment already");

            kb.add(file("/docs/new.txt", "The new lathe needs no oil.\n"), "new", n -> { });
            assertEquals(List.of("new"), docIds(kb.query(new KbQuery("lathe", SearchMode.BM25, 5, List.of(), Fusion.RRF))),
                    "an added document is searchable at once, before its commit");
        }
    }
}
