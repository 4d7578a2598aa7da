package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tokenizers of the reference models against what llama.cpp did with them (../shared/reference/models). */
class ReferenceModelsTest {

    private static Object json(String model, String file) throws IOException {
        return MiniJson.parse(Files.readString(Shared.require("reference/models/" + model + "/" + file)));
    }

    private static Tokenizer tokenizer(String model, String file) {
        return ReferenceVocabs.load(Shared.require("reference/models/" + model + "/" + file));
    }

    @Test
    void stories260KEncodesThePromptAsLlamaCppWithBos() throws IOException {
        Object ref = json("stories260K", "stories260K-f32.json");
        Tokenizer tok = tokenizer("stories260K", "stories260K-f32.gguf");
        String text = (String) MiniJson.at(ref, "prompt", "text");
        int[] expected = MiniJson.ints(MiniJson.at(ref, "prompt", "ids"));
        assertEquals("llama", tok.model());
        assertTrue(tok.addBos());
        assertEquals(1, tok.bosId());
        assertEquals(2, tok.eosId());
        assertArrayEquals(expected, tok.encode(text, true, false));
        // The leading space of the first word is dropped again, and BOS does not render.
        assertEquals(" " + text, tok.decode(expected, false));
        assertEquals(text, tok.decode(Arrays.copyOfRange(expected, 1, expected.length), false));
    }

    @Test
    void stories260KIgnoresSpecialIdsStoredAsMinusOne() {
        Tokenizer tok = tokenizer("stories260K", "stories260K-f32.gguf");
        assertEquals(512, tok.vocabSize());
        assertTrue(tok.isEndOfGeneration(2));
        assertTrue(tok.isControl(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stories260K/stories260K-f32", "stories260K/stories260K-q8_0", "tiny-qwen2/tiny-qwen2-f32",
            "tiny-qwen2/tiny-qwen2-q4_k_m", "tiny-llama/tiny-llama-f32", "tiny-qwen3/tiny-qwen3-f32"})
    void greedyOutputDetokenizesAsInLlamaCpp(String model) throws IOException {
        String dir = model.substring(0, model.indexOf('/'));
        String name = model.substring(model.indexOf('/') + 1);
        Object ref = json(dir, name + ".json");
        Tokenizer tok = tokenizer(dir, name + ".gguf");
        int[] greedy = MiniJson.ints(MiniJson.at(ref, "greedy", "ids"));
        assertEquals(MiniJson.at(ref, "greedy", "text_llama_detokenize"), tok.decode(greedy, false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-qwen2/tiny-qwen2-f32", "tiny-llama/tiny-llama-f32", "tiny-qwen3/tiny-qwen3-f32"})
    void syntheticPromptDecodesToTheQuotedReadmeText(String model) throws IOException {
        String dir = model.substring(0, model.indexOf('/'));
        String name = model.substring(model.indexOf('/') + 1);
        Object ref = json(dir, name + ".json");
        Tokenizer tok = tokenizer(dir, name + ".gguf");
        assertEquals(4096, tok.vocabSize());
        int[] ids = MiniJson.ints(MiniJson.at(ref, "prompt", "ids"));
        String description = (String) MiniJson.at(ref, "prompt", "text");
        // The description quotes the window's text after the BOS as a Python literal: "... ids: '<text>'".
        String quoted = unescapePython(description.substring(description.indexOf(": '") + 3, description.length() - 1));
        assertEquals(4093, ids[0]);
        assertEquals(tok.bosId(), ids[0]);
        assertEquals(quoted, tok.decode(Arrays.copyOfRange(ids, 1, ids.length), false));
        assertEquals("<|endoftext|>" + quoted, tok.decode(ids, true));
        // The window may cut words, so only its interior re-tokenizes to the same ids; the whole text round-trips.
        assertEquals(quoted, tok.decode(tok.encode(quoted, false, false), false));
    }

    @Test
    void syntheticVocabularyKnowsItsChatTokens() {
        Tokenizer tok = tokenizer("tiny-qwen2", "tiny-qwen2-f32.gguf");
        assertEquals(4094, tok.tokenId("<|im_start|>").orElseThrow());
        assertEquals(4095, tok.tokenId("<|im_end|>").orElseThrow());
        assertTrue(tok.isEndOfGeneration(4095));
        assertTrue(tok.isEndOfGeneration(4093));
        assertEquals(4095, tok.eotId());
        assertArrayEquals(new int[] {4094}, Arrays.copyOf(tok.encode("<|im_start|>user", false, true), 1));
    }

    private static String unescapePython(String literal) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            sb.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> e;
            });
        }
        return sb.toString();
    }
}
