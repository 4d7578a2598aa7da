package dev.edgebox.knowledge.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.knowledge.KnowledgeException;
import org.junit.jupiter.api.Test;

class LanguageTest {
    @Test
    void countsCjkCharactersAndLatinWords() {
        assertEquals(new Language.Words(0, 7), Language.Words.count("IL-6 and p53 in Drosophila's cells")); // IL, and, p53, in, Drosophila, s, cells
        assertEquals(new Language.Words(13, 2), Language.Words.count("使用Transformer模型进行文本分类，F1值达到92.5%。"));
        assertEquals(new Language.Words(5, 0), Language.Words.count("ひらがなカ"));
        assertEquals(new Language.Words(2, 0), Language.Words.count("한국"));
        assertEquals(new Language.Words(1, 0), Language.Words.count("𫚭")); // outside the BMP
        assertEquals(new Language.Words(0, 0), Language.Words.count("3.14 — 42 %"));
        assertEquals(0.5, new Language.Words(3, 3).cjkShare(), 1e-9);
    }

    @Test
    void detectsTheLanguageOfATextByItsShareOfChinese() {
        assertEquals(Language.EN, Language.detect("Oil the bearings every week and replace the hydraulic filter every three months."));
        assertEquals(Language.ZH, Language.detect("设备每周保养一次。操作时必须佩戴护目镜和手套。"));
        assertEquals(Language.ZH, Language.detect("使用Transformer模型进行文本分类，F1值达到92.5%。"), "Chinese with English terms");
        // 19 English words and one Chinese character: 5 %, Chinese; 20 words and one: under 5 %, English
        String nineteen = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen";
        assertEquals(Language.ZH, Language.detect(nineteen + " 中"));
        assertEquals(Language.EN, Language.detect(nineteen + " twenty 中"));
        assertEquals(Language.ZH, Language.detect("12345"), "no words: the default model's language");
        assertEquals(Language.ZH, Language.detect(""));
    }

    @Test
    void eachLanguageHasItsBundledEmbedder() {
        assertEquals(BgeEmbedder.ZH.id(), Language.ZH.embedder());
        assertEquals(BgeEmbedder.EN.id(), Language.EN.embedder());
        assertEquals(Language.EN, Language.parse(" EN "));
        assertEquals("zh", Language.ZH.label());
        assertThrows(KnowledgeException.class, () -> Language.parse("fr"));
    }
}
