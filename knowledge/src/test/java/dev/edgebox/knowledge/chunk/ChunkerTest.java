package dev.edgebox.knowledge.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.document.Block;
import dev.edgebox.knowledge.document.PageUnit;
import dev.edgebox.knowledge.document.ParsedDocument;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    /** Words and CJK characters: exact for the fixtures below. */
    private static final TokenCounter WORDS = HashingEmbedder::countTokens;
    private static final ChunkingOptions SMALL = new ChunkingOptions(128, 32);

    private static String sentence(Random r, int n, int words) {
        StringBuilder sb = new StringBuilder("S" + n);
        for (int i = 1; i < words; i++) sb.append(' ').append((char) ('a' + r.nextInt(26))).append("w").append(r.nextInt(100));
        return sb.append('.').toString();
    }

    /** Paragraphs of numbered sentences S0., S1., ... of 5-30 words. */
    private static List<String> sentences(int count, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(sentence(r, i, 5 + r.nextInt(26)));
        return out;
    }

    private static List<Block> paragraphs(List<String> sentences, long seed) {
        Random r = new Random(seed);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < sentences.size(); ) {
            int n = 1 + r.nextInt(6);
            blocks.add(Block.paragraph(String.join(" ", sentences.subList(i, Math.min(sentences.size(), i + n))), 1 + i / 20));
            i += n;
        }
        return blocks;
    }

    @Test
    void chunksStayWithinBudgetCoverEverySentenceInOrderAndOverlapBySentences() {
        for (long seed = 1; seed <= 20; seed++) {
            List<String> sentences = sentences(300, seed);
            ParsedDocument doc = new ParsedDocument(PageUnit.PAGE, 15, paragraphs(sentences, seed));
            List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(doc);
            int next = 0;
            for (int c = 0; c < chunks.size(); c++) {
                Chunk chunk = chunks.get(c);
                assertEquals(c, chunk.ordinal());
                assertTrue(WORDS.count(chunk.text()) <= 128, "chunk " + c + " has " + WORDS.count(chunk.text()) + " tokens");
                assertEquals(WORDS.count(chunk.text()), chunk.tokens());
                List<String> inChunk = SentenceSplitter.split(chunk.text().replace('\n', ' '));
                int first = sentences.indexOf(inChunk.getFirst());
                assertTrue(first <= next && first >= 0, "chunk " + c + " starts at S" + first + " but S" + next + " was not yet covered");
                if (c > 0) {
                    int overlap = next - first;
                    int overlapTokens = sentences.subList(first, next).stream().mapToInt(WORDS::count).sum();
                    assertTrue(overlapTokens <= 32, "overlap of " + overlapTokens + " tokens");
                    String previous = chunks.get(c - 1).text();
                    assertTrue(overlap == 0 || previous.endsWith(sentences.get(next - 1)), "overlap is the end of the previous chunk");
                }
                for (String s : inChunk) assertEquals(sentences.get(first++), s, "sentences in order, none cut");
                next = first;
                assertTrue(chunk.page() <= chunk.lastPage());
            }
            assertEquals(sentences.size(), next, "every sentence is in some chunk");
        }
    }

    @Test
    void mostChunksAreWellFilled() {
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.NONE, 0, paragraphs(sentences(500, 7), 7)));
        double mean = chunks.stream().mapToInt(Chunk::tokens).average().orElseThrow();
        assertTrue(mean > 0.6 * 128, "mean chunk size " + mean);
    }

    @Test
    void headingsStartNewChunksAndFormThePath() {
        List<Block> blocks = List.of(
                Block.heading(1, "Manual", 1),
                Block.paragraph("Intro text.", 1),
                Block.heading(2, "Safety", 1),
                Block.paragraph("Wear gloves.", 1),
                Block.heading(3, "Eyes", 2),
                Block.paragraph("Wear goggles.", 2),
                Block.heading(2, "Cleaning", 3),
                Block.paragraph("Use water.", 3),
                Block.heading(1, "Appendix", 4),
                Block.heading(1, "Index", 5));
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.PAGE, 5, blocks));
        assertEquals(List.of("Intro text.", "Wear gloves.", "Wear goggles.", "Use water.", "Appendix", "Index"),
                chunks.stream().map(Chunk::text).toList());
        assertEquals(List.of(List.of("Manual"), List.of("Manual", "Safety"), List.of("Manual", "Safety", "Eyes"),
                List.of("Manual", "Cleaning"), List.of(), List.of()), chunks.stream().map(Chunk::headings).toList());
        assertEquals(List.of(1, 1, 2, 3, 4, 5), chunks.stream().map(Chunk::page).toList());
        assertEquals("Manual > Safety > Eyes\nWear goggles.", chunks.get(2).indexedText());
    }

    @Test
    void tableRowsAreNeverCutAndAnOversizedRowIsAChunkOfItsOwn() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.paragraph("The price list follows.", 1));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add("item " + i + " | " + "part ".repeat(i % 7 + 1).trim() + " | " + (i * 10) + " 元");
        StringBuilder huge = new StringBuilder("huge");
        for (int i = 0; i < 200; i++) huge.append(" | cell").append(i);
        rows.add(20, huge.toString());
        for (String row : rows) blocks.add(Block.tableRow(row, 1));
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.PAGE, 1, blocks));
        for (String row : rows) {
            assertTrue(chunks.stream().anyMatch(c -> c.text().lines().anyMatch(row::equals)), "row intact: " + row);
        }
        assertTrue(chunks.stream().anyMatch(c -> c.text().equals(huge.toString())), "the oversized row stands alone");
        for (Chunk c : chunks) {
            if (!c.text().contains("huge")) assertTrue(c.tokens() <= 128, c.tokens() + " tokens");
        }
    }

    @Test
    void aSentenceLongerThanAChunkIsCutBetweenWords() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 400; i++) s.append("word").append(i).append(' ');
        String chinese = "这是一个没有标点的很长的句子".repeat(30);
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.NONE, 0,
                List.of(Block.paragraph(s.toString().trim(), 0), Block.paragraph(chinese, 0))));
        for (Chunk c : chunks) assertTrue(c.tokens() <= 128, c.tokens() + " tokens");
        String all = String.join(" ", chunks.stream().map(Chunk::text).toList());
        for (int i = 0; i < 400; i++) assertTrue(all.contains("word" + i + " ") || all.contains("word" + i + "\n") || all.endsWith("word" + i));
        assertTrue(chunks.stream().anyMatch(c -> c.text().contains("这是一个没有标点的很长的句子")));
    }

    @Test
    void everySlideIsItsOwnSection() {
        List<Block> blocks = List.of(
                Block.heading(1, "Quarterly results", 1),
                Block.paragraph("Revenue grew.", 1),
                Block.paragraph("Untitled slide text.", 2),
                Block.heading(1, "Outlook", 3),
                Block.paragraph("Stable.", 3));
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.SLIDE, 3, blocks));
        assertEquals(List.of("Revenue grew.", "Untitled slide text.", "Stable."), chunks.stream().map(Chunk::text).toList());
        assertEquals(List.of(List.of("Quarterly results"), List.of(), List.of("Outlook")), chunks.stream().map(Chunk::headings).toList());
        assertEquals(List.of(1, 2, 3), chunks.stream().map(Chunk::page).toList());
    }

    @Test
    void chineseParagraphsSplitAtChineseStops() {
        String para = "本合同一式四份，自双方签章后生效。".repeat(20);
        List<Chunk> chunks = new Chunker(WORDS, SMALL).chunk(new ParsedDocument(PageUnit.NONE, 0, List.of(Block.paragraph(para, 0))));
        assertTrue(chunks.size() > 1);
        for (Chunk c : chunks) {
            assertTrue(c.text().endsWith("。"), "chunks end at a sentence: " + c.text());
            assertTrue(c.text().startsWith("本合同"), "and start at one: " + c.text());
            assertFalse(c.text().contains(" "), "no spaces between Chinese sentences");
        }
    }

    @Test
    void optionsAreRangeChecked() {
        assertThrows(KnowledgeException.class, () -> new ChunkingOptions(64, 0));
        assertThrows(KnowledgeException.class, () -> new ChunkingOptions(2048, 0));
        assertThrows(KnowledgeException.class, () -> new ChunkingOptions(256, 200));
        assertEquals(new ChunkingOptions(384, 64), ChunkingOptions.DEFAULT);
    }
}
