package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Streaming never emits part of a character, and the stream adds up to decode(). */
class StreamDecoderTest {
    private static final String TEXT = "你好，世界！Emoji: 😀👍🏽 and 🇨🇳 — 中文分词测试。Ünïcödé ✓";

    /** The byte tokens of a string: one token per UTF-8 byte. */
    private static int[] byteTokens(Tokenizer tok, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            String text = tok.model().equals("gpt2") ? String.valueOf(ByteLevel.charOf(bytes[i])) : String.format("<0x%02X>", bytes[i] & 0xFF);
            ids[i] = tok.tokenId(text).orElseThrow();
        }
        return ids;
    }

    private static List<String> stream(Tokenizer tok, int[] ids) {
        StreamDecoder decoder = tok.newStreamDecoder(false);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) chunks.add(decoder.feed(id));
        chunks.add(decoder.flush());
        return chunks;
    }

    private static void assertWholeCharacters(List<String> chunks) {
        for (String chunk : chunks) {
            assertFalse(chunk.contains("\uFFFD"), "a chunk holds a replacement character: " + chunk);
            assertEquals(chunk, Utf8.wellFormed(chunk), "a chunk ends or starts inside a surrogate pair");
        }
    }

    @Test
    void byteTokensOfChineseAndEmojiComeOutOnlyAsWholeCharacters() {
        for (String vocab : new String[] {"qwen2", "llama-spm"}) {
            Tokenizer tok = ReferenceVocabs.tokenizer(vocab);
            int[] ids = byteTokens(tok, TEXT);
            List<String> chunks = stream(tok, ids);
            assertWholeCharacters(chunks);
            assertEquals(TEXT, String.join("", chunks));
            // "你" is 3 bytes: nothing comes out until the third.
            assertEquals(List.of("", "", "你"), chunks.subList(0, 3));
        }
    }

    @Test
    void encodedTextSplitsCharactersAcrossTokensYetStreamsWhole() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        int[] ids = tok.encode(TEXT, false, false);
        int partial = 0;
        for (int id : ids) {
            byte[] piece = tok.tokenBytes(id, false);
            if (!new String(piece, StandardCharsets.UTF_8).equals(Utf8.decode(piece, 0, piece.length))
                    || Utf8.decode(piece, 0, piece.length).contains("\uFFFD")) partial++;
        }
        assertTrue(partial > 0, "expected some tokens holding part of a character");
        List<String> chunks = stream(tok, ids);
        assertWholeCharacters(chunks);
        assertEquals(TEXT, String.join("", chunks));
        assertEquals(tok.decode(ids, false), String.join("", chunks));
    }

    @Test
    void invalidBytesBecomeReplacementCharactersOnlyWhenTheyCannotComplete() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        StreamDecoder d = tok.newStreamDecoder(false);
        int e4 = byteTokens(tok, "你")[0]; // 0xE4, a lead byte of a 3-byte character
        int a = tok.tokenId("A").orElseThrow();
        assertEquals("", d.feed(e4));
        assertTrue(d.hasPending());
        assertEquals("\uFFFDA", d.feed(a)); // 'A' cannot continue it
        assertEquals("", d.feed(e4));
        assertEquals("\uFFFD", d.flush());
        assertFalse(d.hasPending());
        int[] broken = {e4, e4, a};
        assertEquals(tok.decode(broken, false), String.join("", stream(tok, broken)));
    }

    @Test
    void randomTokenSequencesStreamToTheirDecodedText() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        Random random = new Random(42);
        int[] bytes = byteTokens(tok, TEXT);
        for (int round = 0; round < 300; round++) {
            int[] ids = new int[1 + random.nextInt(40)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(3) == 0 ? random.nextInt(151643) : bytes[random.nextInt(bytes.length)];
            }
            assertEquals(tok.decode(ids, false), String.join("", stream(tok, ids)), "ids " + java.util.Arrays.toString(ids));
        }
    }

    @Test
    void controlTokensStreamOnlyWhenRendered() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        int imEnd = tok.tokenId("<|im_end|>").orElseThrow();
        assertEquals("", tok.newStreamDecoder(false).feed(imEnd));
        assertEquals("<|im_end|>", tok.newStreamDecoder(true).feed(imEnd));
    }
}
