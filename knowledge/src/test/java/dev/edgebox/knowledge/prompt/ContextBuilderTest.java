package dev.edgebox.knowledge.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.StoredChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBuilderTest {
    private static final TokenCounter WORDS = HashingEmbedder::countTokens;

    private static SearchHit hit(String file, int page, String unit, String text, float score) {
        return new SearchHit(new StoredChunk("/docs/" + file, "/docs/" + file, "h", 0, text, List.of("Chapter 2"), page, page, unit),
                score, 1, 1);
    }

    private final List<SearchHit> hits = List.of(
            hit("manual.pdf", 3, "PAGE", "Press the red button to stop the machine. Then unplug it.", 0.9f),
            hit("slides.pptx", 2, "SLIDE", "Emergency stops are tested every month.", 0.8f),
            hit("notes.txt", 0, "NONE", "word ".repeat(100).trim(), 0.7f));

    @Test
    void numberedSourcesWithFileAndPageWithinTheBudget() {
        PromptContext c = new ContextBuilder(WORDS, 60).build("How do I stop the machine?", hits);
        assertEquals(2, c.sources().size(), "the third source does not fit");
        assertEquals("[1] manual.pdf, p. 3 (Chapter 2)\nPress the red button to stop the machine. Then unplug it.\n\n"
                + "[2] slides.pptx, slide 2 (Chapter 2)\nEmergency stops are tested every month.", c.context());
        assertTrue(c.tokens() <= 60 && c.tokens() == WORDS.count(c.context()), c.tokens() + " tokens");
        assertEquals("[1] manual.pdf, p. 3\n[2] slides.pptx, slide 2\n", c.references());
        assertTrue(c.userMessage().startsWith(PromptContext.INSTRUCTION));
        assertTrue(c.userMessage().endsWith("Question: How do I stop the machine?"));
    }

    @Test
    void aFirstSourceLargerThanTheBudgetIsShortenedBySentences() {
        PromptContext c = new ContextBuilder(WORDS, 40).build("q", List.of(hit("manual.pdf", 3, "PAGE",
                "First sentence is short. " + "Second sentence is much longer than the rest of it all. ".repeat(10), 1f)));
        assertEquals(1, c.sources().size());
        assertTrue(c.tokens() <= 40, c.tokens() + " tokens");
        assertTrue(c.sources().getFirst().text().startsWith("First sentence is short."));
    }
}
