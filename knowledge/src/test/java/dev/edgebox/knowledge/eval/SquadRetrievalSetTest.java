package dev.edgebox.knowledge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquadRetrievalSetTest {
    @TempDir
    Path dir;

    // 𫚭 is one code point but two UTF-16 units; the second answer's offset counts it as two, the third as one
    private static final String FILE = """
            {"version": "test", "data": [
              {"title": "线白𫚭", "id": "A", "paragraphs": [{"id": "P1",
                "context": "线白𫚭，俗名龙尖。本鱼分布于印度太平洋区。水深20至100公尺。",
                "qas": [{"id": "Q1", "question": "线白𫚭的俗名是什么？", "answers": [{"text": "龙尖", "answer_start": 7}]},
                        {"id": "Q2", "question": "本鱼分布在哪里？", "answers": [{"text": "印度太平洋区", "answer_start": 15}]},
                        {"id": "Q3", "question": "水有多深？", "answers": [{"text": "水深20至100公尺", "answer_start": 21}]},
                        {"id": "Q4", "question": "跨句？", "answers": [{"text": "太平洋区。水深", "answer_start": 17}]},
                        {"id": "Q5", "question": "没有答案？", "answers": [{"text": "不在这里", "answer_start": 3}]}]}]},
              {"title": "Second", "paragraphs": [{"context": "One sentence. Another one.", "qas": [{"question": "which?", "answers": []}]}]}
            ]}""";

    private Path file() throws Exception {
        Path f = dir.resolve("squad.json");
        Files.writeString(f, FILE);
        return f;
    }

    @Test
    void paragraphsAreTheCorpusAndEachQuestionFindsItsOwn() throws Exception {
        BeirDataset d = SquadRetrievalSet.load(file());
        assertEquals(List.of("P1", "a1p0"), d.corpus().stream().map(BeirDataset.Doc::id).toList());
        assertEquals("线白𫚭", d.corpus().getFirst().title());
        assertEquals(6, d.queries().size());
        assertEquals(Map.of("P1", 1), d.qrels().get("Q5"));
        assertEquals(Map.of("a1p0", 1), d.qrels().get("a1p0q0"));
    }

    @Test
    void sentencesAreTheCorpusAndTheOnesHoldingTheAnswerAreRelevant() throws Exception {
        BeirDataset d = SquadRetrievalSet.load(file(), SquadRetrievalSet.Unit.SENTENCE);
        assertEquals(List.of("线白𫚭，俗名龙尖。", "本鱼分布于印度太平洋区。", "水深20至100公尺。", "One sentence.", "Another one."),
                d.corpus().stream().map(BeirDataset.Doc::text).toList());
        assertEquals("P1-s1", d.corpus().get(1).id());
        assertEquals(Map.of("P1-s0", 1), d.qrels().get("Q1"));
        assertEquals(Map.of("P1-s1", 1), d.qrels().get("Q2"));
        assertEquals(Map.of("P1-s2", 1), d.qrels().get("Q3"), "an offset in code points is found too");
        assertEquals(Map.of("P1-s1", 1, "P1-s2", 1), d.qrels().get("Q4"), "an answer across a sentence end");
        assertEquals(4, d.qrels().size(), "questions whose answer is not in the paragraph are left out");
    }

    @Test
    void notSquadIsAClearError() throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "[1, 2]");
        var e = assertThrows(KnowledgeException.class, () -> SquadRetrievalSet.load(f));
        assertTrue(e.getMessage().contains("not in the SQuAD layout"), e.getMessage());
    }

    @Test
    void cmrc2018TrialSet() {
        Path f = Shared.require("data/cmrc2018/cmrc2018_trial.json");
        BeirDataset paragraphs = SquadRetrievalSet.load(f);
        assertEquals(256, paragraphs.corpus().size());
        assertEquals(1000, paragraphs.qrels().size()); // 1002 questions, two of them blank
        BeirDataset sentences = SquadRetrievalSet.load(f, SquadRetrievalSet.Unit.SENTENCE);
        assertEquals(3281, sentences.corpus().size());
        assertEquals(1000, sentences.qrels().size());
    }
}
