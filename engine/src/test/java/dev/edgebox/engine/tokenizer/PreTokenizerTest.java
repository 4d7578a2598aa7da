package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written scanners split exactly like the regexes they stand for (run the way llama.cpp
 * runs regexes), on random text mixing every class of character the regexes distinguish.
 */
class PreTokenizerTest {
    private static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String LLAMA3 = QWEN2.replace("\\p{N}|", "\\p{N}{1,3}|");
    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String[] PIECES = {
        "a", "Z", "é", "ß", "中", "文", "Я", "ж", "1", "9", "٣", "²", "Ⅻ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000",
        "\u2009", "\u0085", "!", "'", "\"", ".", ",", "，", "。", "$", "+", "~", "€", "😀", "\u0301", "\u0000", "\u001F", "'s", "'LL",
        "'re", "'Ve", "'d", "'x", "__", "-->", "𝔘", "\uFFFD", "\uE000"};

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) sb.append(PIECES[random.nextInt(PIECES.length)]);
        return sb.toString();
    }

    private static List<String> words(SplitStage stage, String text) {
        int[] cps = text.codePoints().toArray();
        PreTokenizer p = new PreTokenizer("test", List.of(stage), false, false, false, false);
        IntList lengths = p.split(cps);
        List<String> words = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < lengths.size(); i++) {
            words.add(new String(cps, at, lengths.get(i)));
            at += lengths.get(i);
        }
        return words;
    }

    private static void assertSameSplits(SplitStage scanner, String regex) {
        RegexSplit reference = new RegexSplit(regex);
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            String text = randomText(random);
            assertEquals(words(reference, text), words(scanner, text), () -> "text " + ReferenceVocabs.show(text));
        }
    }

    @Test
    void qwen2ScannerMatchesTheQwen2Regex() {
        assertSameSplits(WordScanner.llama3(1), QWEN2);
    }

    @Test
    void llama3ScannerMatchesTheLlama3Regex() {
        assertSameSplits(WordScanner.llama3(3), LLAMA3);
    }

    @Test
    void gpt2ScannerMatchesTheGpt2Regex() {
        assertSameSplits(WordScanner.gpt2(), GPT2);
    }

    @Test
    void gpt4oClassIntersectionsMatchTheLookaheadsOfTokenizerJson() {
        String c = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
        String original = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+" + c + "?"
                + "|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*" + c + "?"
                + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        SplitStage ours = PreTokenizers.byName("gpt-4o").orElseThrow().stages().getFirst();
        assertSameSplits(ours, original);
        // A very long word must not exhaust the stack.
        String longWord = "A" + "bc".repeat(200_000);
        assertEquals(List.of(longWord), words(ours, longWord));
    }

    @Test
    void wordsOfASentence() {
        assertEquals(List.of("Hello", ",", " world", "'s", " ", "1", "2", "3", "  ", " ok", "\n\n", "你好"),
                words(WordScanner.llama3(1), "Hello, world's 123   ok\n\n你好"));
        assertEquals(List.of("Hello", ",", " world", "'s", " ", "123", "  ", " ok", "\n\n", "你好"),
                words(WordScanner.llama3(3), "Hello, world's 123   ok\n\n你好"));
    }

    @Test
    void categoriesAreCollapsedAsInLlamaCpp() {
        // llama.cpp's ASCII \p{P} and \p{S} leave out '~', which the default pre-tokenizer lists by hand.
        assertEquals(List.of("a", "~", "b"), words(new RegexSplit("[\\p{P}\\p{S}]+|~"), "a~b"));
        assertEquals(List.of("a", "!,", "b", "€$", "c"), words(new RegexSplit("[\\p{P}\\p{S}]+"), "a!,b€$c"));
        // Matches and the gaps between them are both words; supplementary letters count as letters.
        assertEquals(List.of("x𝔘中", " 1 ", "ab"), words(new RegexSplit("\\p{L}+"), "x𝔘中 1 ab"));
        // Regexes without categories see the text itself, with non-ASCII whitespace as \u000B for \s.
        assertEquals(List.of("中文", "\u3000", "𐐀"), words(new RegexSplit("\\s|[一-龥]+"), "中文\u3000𐐀"));
    }
}
