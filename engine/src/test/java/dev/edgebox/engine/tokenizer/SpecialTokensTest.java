package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Special tokens in the input, BOS/EOS and end-of-generation, as llama.cpp handles them. */
class SpecialTokensTest {

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void chatMarkupBecomesControlTokensOnlyWhenParsingSpecial() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        int imStart = tok.tokenId("<|im_start|>").orElseThrow();
        int imEnd = tok.tokenId("<|im_end|>").orElseThrow();
        assertEquals(151644, imStart);
        assertEquals(151645, imEnd);
        assertTrue(tok.isControl(imStart) && tok.isControl(imEnd));

        int[] ids = tok.encode("<|im_start|>user\nhi<|im_end|>", false, true);
        assertArrayEquals(concat(new int[] {imStart}, tok.encode("user\nhi", false, false), new int[] {imEnd}), ids);
        assertArrayEquals(new int[] {151644, 872, 198, 6023, 151645}, ids);

        int[] plain = tok.encode("<|im_start|>user\nhi<|im_end|>", false, false);
        assertFalse(Arrays.stream(plain).anyMatch(tok::isControl), "without parseSpecial the markup is text");
        assertEquals("<|im_start|>user\nhi<|im_end|>", tok.decode(plain, false));

        assertEquals("user\nhi", tok.decode(ids, false));
        assertEquals("<|im_start|>user\nhi<|im_end|>", tok.decode(ids, true));
    }

    @Test
    void userDefinedTokensAreAlwaysMatched() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        int toolCall = tok.tokenId("<tool_call>").orElseThrow();
        assertFalse(tok.isControl(toolCall));
        int[] ids = tok.encode("a<tool_call>b", false, false);
        assertEquals(3, ids.length);
        assertEquals(toolCall, ids[1]);
        assertEquals("a<tool_call>b", tok.decode(ids, false)); // user-defined tokens always render
    }

    @Test
    void qwen2HasNoBosByDefaultAndEndsGenerationOnChatEnds() {
        Tokenizer tok = ReferenceVocabs.tokenizer("qwen2");
        assertFalse(tok.addBos());
        assertEquals(151643, tok.bosId());
        assertEquals(151645, tok.eosId());
        assertArrayEquals(tok.encode("hi", false, false), tok.encode("hi", true, false));
        assertEquals(151645, tok.eotId());
        for (String end : new String[] {"<|im_end|>", "<|endoftext|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"}) {
            assertTrue(tok.isEndOfGeneration(tok.tokenId(end).orElseThrow()), end);
        }
        assertFalse(tok.isEndOfGeneration(tok.tokenId("<|im_start|>").orElseThrow()));
        assertFalse(tok.isEndOfGeneration(tok.tokenId("hi").orElseThrow()));
        assertEquals("qwen2", tok.preTokenizer());
    }

    @Test
    void llama3AddsBosAndEndsOnEotId() {
        Tokenizer tok = ReferenceVocabs.tokenizer("llama-bpe");
        assertTrue(tok.addBos());
        assertFalse(tok.addEos());
        int[] ids = tok.encode("Hello", true, false);
        assertEquals(128000, ids[0]);
        assertArrayEquals(concat(new int[] {128000}, tok.encode("Hello", false, false)), ids);
        int eot = tok.tokenId("<|eot_id|>").orElseThrow();
        assertEquals(eot, tok.eotId());
        assertTrue(tok.isEndOfGeneration(eot));
        assertTrue(tok.isEndOfGeneration(128001));
        int[] chat = tok.encode("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", true, true);
        assertEquals(128000, chat[0]);
        assertEquals(tok.tokenId("<|start_header_id|>").orElseThrow(), chat[1]);
        assertEquals(eot, chat[chat.length - 1]);
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", tok.decode(chat, true));
    }

    @Test
    void phi3SpecialTokensEatTheWhitespaceAfterThem() {
        // llama.cpp gives phi-3's special tokens RSTRIP (by its general.name), so the newline after <|user|> goes.
        Tokenizer tok = ReferenceVocabs.tokenizer("phi-3");
        int user = tok.tokenId("<|user|>").orElseThrow();
        int[] ids = tok.encode("<|user|>\nhi<|end|>", true, true);
        assertArrayEquals(concat(new int[] {1, user}, tok.encode("hi", false, false), new int[] {tok.tokenId("<|end|>").orElseThrow()}), ids);
        assertEquals(32007, tok.eotId());
        assertTrue(tok.isEndOfGeneration(32007));
        assertTrue(tok.isEndOfGeneration(32000));
    }

    @Test
    void sentencePiecePrefixesASpaceAfterEverySpecialToken() {
        Tokenizer tok = ReferenceVocabs.tokenizer("llama-spm");
        int[] ids = tok.encode("<s>Hello</s>world", false, true);
        assertArrayEquals(concat(new int[] {1}, tok.encode("Hello", false, false), new int[] {2}, tok.encode("world", false, false)), ids);
        assertEquals(" Hello world", tok.decode(ids, false)); // the first token is <s>, so no space is removed
        assertArrayEquals(concat(new int[] {1}, tok.encode("Hello", false, false)), tok.encode("Hello", true, false));
    }
}
