package dev.edgebox.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every test string of llama.cpp's tokenizer vectors gives exactly llama.cpp's ids
 * (add_special = false, parse_special = false, as test-tokenizer-0 runs them).
 */
class TokenizerVectorsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2", "llama-bpe", "gpt-2", "deepseek-llm", "deepseek-coder", "falcon", "phi-3",
            "llama-spm", "mpt", "starcoder", "refact", "bert-bge"})
    void matchesLlamaCpp(String vocab) {
        Tokenizer tokenizer = ReferenceVocabs.tokenizer(vocab);
        List<ReferenceVocabs.Case> cases = ReferenceVocabs.cases(vocab);
        List<String> failures = new ArrayList<>();
        for (ReferenceVocabs.Case c : cases) {
            int[] actual = tokenizer.encode(c.text(), false, false);
            if (!Arrays.equals(c.expected(), actual)) {
                failures.add("case " + c.index() + " " + ReferenceVocabs.show(c.text()) + "\n   expected " + Arrays.toString(c.expected())
                        + "\n   actual   " + Arrays.toString(actual));
            }
        }
        System.out.printf("tokenizer vectors %-15s %d/%d cases match llama.cpp%n", vocab, cases.size() - failures.size(), cases.size());
        assertTrue(cases.size() > 30, "expected llama.cpp's full set of test strings");
        assertEquals(List.of(), failures, vocab + ": " + failures.size() + " of " + cases.size() + " cases differ\n" + String.join("\n", failures));
    }
}
