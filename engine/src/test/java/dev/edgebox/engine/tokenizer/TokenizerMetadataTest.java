package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.gguf.GgufValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building tokenizers from small vocabularies made in code: defaults, overrides and errors. */
class TokenizerMetadataTest {

    /** A byte-level BPE vocabulary: the 256 byte characters, then merge results, then <|endoftext|>. */
    private static Map<String, GgufValue> tinyBpe(String pre) {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(String.valueOf(ByteLevel.charOf(b)));
        String[] merges = {"h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or"};
        for (String m : merges) tokens.add(m.replace(" ", ""));
        tokens.add("<|endoftext|>");
        int[] types = new int[tokens.size()];
        Arrays.fill(types, 1);
        types[types.length - 1] = 3;
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        if (pre != null) md.put("tokenizer.ggml.pre", GgufValue.string(pre));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.int32s(types));
        md.put("tokenizer.ggml.merges", GgufValue.strings(merges));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(tokens.size() - 1));
        return md;
    }

    /** A SentencePiece vocabulary with byte fallback. */
    private static Map<String, GgufValue> tinySpm() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6);
            scores.add(0f);
        }
        String[] words = {"▁", "h", "i", "▁h", "▁hi", "o", "▁ho"};
        float[] wordScores = {-1, -2, -2, -3, -4, -2, -5};
        for (int i = 0; i < words.length; i++) {
            tokens.add(words[i]);
            types.add(1);
            scores.add(wordScores[i]);
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("llama"));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.scores", GgufValue.floats(s));
        md.put("tokenizer.ggml.token_type", GgufValue.int32s(types.stream().mapToInt(Integer::intValue).toArray()));
        return md;
    }

    private static Tokenizer build(Map<String, GgufValue> md) {
        return Tokenizer.fromMetadata(new GgufMetadata(md));
    }

    @Test
    void byteLevelBpeMergesByRank() {
        Tokenizer tok = build(tinyBpe("gpt-2"));
        int hello = tok.tokenId("hello").orElseThrow();
        int wor = tok.tokenId("Ġwor").orElseThrow();
        assertArrayEquals(new int[] {hello, wor, 'l', 'd'}, tok.encode("hello world", false, false));
        assertEquals("hello world", tok.decode(tok.encode("hello world", false, false), false));
        assertEquals("gpt-2", tok.preTokenizer());
        assertFalse(tok.addBos());
    }

    @Test
    void unknownOrMissingPreTokenizerFallsBackToLlamaCppsDefault() {
        Tokenizer unknown = build(tinyBpe("some-future-model"));
        Tokenizer missing = build(tinyBpe(null));
        assertEquals("default", unknown.preTokenizer());
        assertEquals("default", missing.preTokenizer());
        int[] expected = build(tinyBpe("default")).encode("hello, world 12345!", false, false);
        assertArrayEquals(expected, unknown.encode("hello, world 12345!", false, false));
        assertArrayEquals(expected, missing.encode("hello, world 12345!", false, false));
    }

    @Test
    void endOfGenerationIncludesEosAndTheEndOfTextToken() {
        Tokenizer tok = build(tinyBpe("gpt-2"));
        int end = tok.tokenId("<|endoftext|>").orElseThrow();
        assertEquals(end, tok.eosId());
        assertTrue(tok.isEndOfGeneration(end));
        assertTrue(tok.isControl(end));
        assertArrayEquals(new int[] {end}, tok.endOfGenerationIds());
        assertEquals("", tok.decode(new int[] {end}, false));
        assertEquals("<|endoftext|>", tok.decode(new int[] {end}, true));
    }

    @Test
    void sentencePieceMergesByScoreWithByteFallback() {
        Tokenizer tok = build(tinySpm());
        assertTrue(tok.addBos());
        assertEquals(1, tok.bosId());
        int hi = tok.tokenId("▁hi").orElseThrow();
        int ho = tok.tokenId("▁ho").orElseThrow();
        int[] ids = tok.encode("hi ho!", true, false);
        assertArrayEquals(new int[] {1, hi, ho, 3 + '!'}, ids);
        assertEquals(" hi ho!", tok.decode(ids, false));
        assertEquals("hi ho!", tok.decode(Arrays.copyOfRange(ids, 1, ids.length), false));
        assertEquals("<s> hi ho!", tok.decode(ids, true));
        // "é" is not a token: its two UTF-8 bytes are spelled with byte tokens.
        assertArrayEquals(new int[] {tok.tokenId("▁").orElseThrow(), 3 + 0xC3, 3 + 0xA9}, tok.encode("é", false, false));
    }

    @Test
    void specialIdsStoredAsMinusOneOrOutOfRangeAreIgnored() {
        Map<String, GgufValue> md = tinySpm();
        md.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(4294967295L));
        md.put("tokenizer.ggml.padding_token_id", GgufValue.uint32(4294967295L));
        md.put("tokenizer.ggml.seperator_token_id", GgufValue.int32(-1));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(100_000));
        Tokenizer tok = build(md);
        assertEquals(1, tok.bosId()); // SentencePiece's default stays
        assertEquals(2, tok.eosId());
    }

    @Test
    void addingATokenTheVocabularyLacksIsAnError() {
        Map<String, GgufValue> md = tinyBpe("gpt-2");
        md.remove("tokenizer.ggml.eos_token_id");
        md.put("tokenizer.ggml.add_eos_token", GgufValue.bool(true));
        md.put("tokenizer.ggml.tokens", GgufValue.strings("a", "b", "ab"));
        md.put("tokenizer.ggml.token_type", GgufValue.int32s(1, 1, 1));
        md.put("tokenizer.ggml.merges", GgufValue.strings("a b"));
        EngineException e = assertThrows(EngineException.class, () -> build(md));
        assertTrue(e.getMessage().contains("add_eos_token"), e.getMessage());
    }

    @Test
    void unsupportedOrMissingTokenizersAreNamed() {
        Map<String, GgufValue> t5 = tinySpm();
        t5.put("tokenizer.ggml.model", GgufValue.string("t5"));
        assertTrue(assertThrows(EngineException.class, () -> build(t5)).getMessage().contains("'t5'"));

        Map<String, GgufValue> none = tinySpm();
        none.remove("tokenizer.ggml.model");
        assertTrue(assertThrows(EngineException.class, () -> build(none)).getMessage().contains("tokenizer.ggml.model"));

        Map<String, GgufValue> noMerges = tinyBpe("gpt-2");
        noMerges.remove("tokenizer.ggml.merges");
        assertTrue(assertThrows(EngineException.class, () -> build(noMerges)).getMessage().contains("tokenizer.ggml.merges"));
    }

    @Test
    void idsOutsideTheVocabularyAreRefusedClearly() {
        Tokenizer tok = build(tinyBpe("gpt-2"));
        EngineException e = assertThrows(EngineException.class, () -> tok.decode(new int[] {999_999}, false));
        assertTrue(e.getMessage().contains("999999"), e.getMessage());
        assertThrows(EngineException.class, () -> tok.tokenText(-1));
    }

    @Test
    void cleanUpOfTokenizationSpacesFollowsLlamaCpp() {
        assertEquals("Hello, world!", clean("Hello , world !"));
        assertEquals("I'm here, we've been", clean("I 'm here , we 've been"));
        assertEquals("it 'll do, don 't", clean("it 'll do , don 't"));
        assertEquals("a'b", clean("a ' b"));
    }

    private static String clean(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new String(b, 0, TokenPieces.cleanSpaces(b), java.nio.charset.StandardCharsets.UTF_8);
    }
}
