package dev.edgebox.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.document.SourceFile;
import dev.edgebox.knowledge.embed.BgeEmbedder;
import dev.edgebox.knowledge.embed.Language;
import dev.edgebox.knowledge.ingest.Ingestor;
import dev.edgebox.knowledge.testing.StandInEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A base created with language auto takes the embedder for its documents' language, once, before any vector. */
class LanguageChoiceTest {
    @TempDir
    Path dir;

    private final List<String> loaded = new ArrayList<>();

    private KnowledgeBase create(String language) {
        return KnowledgeBase.create(dir.resolve("kb"), KbConfig.forLanguage(language, ChunkingOptions.DEFAULT), this::load);
    }

    private StandInEmbedder load(String id) {
        loaded.add(id);
        return new StandInEmbedder(id);
    }

    private static SourceFile file(String name, String text) {
        return new SourceFile(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEnglishFirstDocumentGivesTheEnglishModel() {
        try (KnowledgeBase kb = create("auto")) {
            assertTrue(kb.config().undecided());
            assertEquals(List.of(), kb.query(KbQuery.of("anything", 3)), "an empty base finds nothing");
            assertThrows(KnowledgeException.class, kb::embedder);
            kb.add(file("scan.pdf.txt", " \n "), "scan", n -> { });
            assertTrue(kb.config().undecided(), "a document without text decides nothing");
            kb.add(file("a.txt", "Oil the bearings every week. Replace the hydraulic filter every three months."), "a", n -> { });
            assertEquals(BgeEmbedder.EN.id(), kb.config().embedder());
            assertEquals(384, kb.config().dimension());
            kb.add(file("b.txt", "设备每周保养一次。"), "b", n -> { }); // decided once: stays English
            kb.commit();
            assertEquals(List.of(BgeEmbedder.EN.id()), loaded);
            assertEquals("a", kb.query(KbQuery.of("hydraulic filter", 1)).getFirst().chunk().docId());
        }
        KbConfig stored = KbConfig.read(dir.resolve("kb"));
        assertEquals(BgeEmbedder.EN.id(), stored.embedder());
        assertEquals("auto", stored.language());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), this::load)) {
            assertEquals(Optional.of(Language.EN), kb.decideLanguage("中文"));
            assertEquals("b", kb.query(KbQuery.of("保养", 1)).getFirst().chunk().docId());
        }
    }

    @Test
    void aChineseOrMixedSampleGivesTheChineseModel() {
        try (KnowledgeBase kb = create("auto")) {
            assertEquals(Optional.of(Language.ZH), kb.decideLanguage("The manual 说明书: 使用Transformer模型进行文本分类"));
            assertEquals(BgeEmbedder.ZH.id(), kb.config().embedder());
            assertEquals(512, kb.config().dimension());
        }
    }

    @Test
    void anIngestionDecidesFromSeveralFilesNotJustTheFirst() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("0-readme.md"), "# Readme\n\nThis folder holds the maintenance manuals.\n");
        for (int i = 1; i <= 3; i++) Files.writeString(docs.resolve(i + "-规程.txt"), "设备每周保养一次。操作时必须佩戴护目镜和手套。发现异常立即停机。\n");
        try (KnowledgeBase kb = create("auto")) {
            var report = new Ingestor(kb).ingest(Ingestor.expand(List.of(docs)), new Ingestor.Listener() { });
            assertEquals(4, report.added());
            assertEquals(BgeEmbedder.ZH.id(), kb.config().embedder());
        }
    }

    @Test
    void anExplicitLanguageOrEmbedderIsKept() {
        KbConfig en = KbConfig.forLanguage("en", ChunkingOptions.DEFAULT);
        assertEquals(BgeEmbedder.EN.id(), en.embedder());
        assertEquals("en", en.language());
        KbConfig named = KbConfig.of(BgeEmbedder.ZH.id(), 512, ChunkingOptions.DEFAULT);
        assertNull(named.language());
        try (KnowledgeBase kb = KnowledgeBase.create(dir.resolve("zh"), named, this::load)) {
            kb.add(file("a.txt", "Oil the bearings every week."), "a", n -> { });
            assertEquals(BgeEmbedder.ZH.id(), kb.config().embedder(), "a named embedder is not second-guessed");
        }
        assertThrows(KnowledgeException.class, () -> KbConfig.forLanguage("fr", ChunkingOptions.DEFAULT));
        assertEquals("auto", KbConfig.defaults().language());
        assertTrue(KbConfig.defaults().undecided());
    }
}
