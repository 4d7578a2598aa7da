package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.Generator;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance property of constrained decoding: sampling at temperature 1.0 over the full
 * distribution (no top-k/top-p/min-p) from the reference models, whose random weights make them
 * the harshest case, random schemas, regexes and choice lists always give output that parses and
 * validates (our checks and independent ones), or end with finish reason "length" at the token
 * limit; nothing else. Each run covers hundreds of cases per model; the limit is kept short.
 */
class ConstrainedGenerationPropertyTest {
    private static final int CASES = 600;

    @ParameterizedTest
    @ValueSource(strings = {
            "reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf",
            "reference/models/tiny-qwen3/tiny-qwen3-q8_0.gguf",
            "reference/models/tiny-llama/tiny-llama-q4_k_m.gguf",
            "reference/models/stories260K/stories260K-f32.gguf"})
    void outputIsValidOrEndsAtTheLimit(String modelPath) {
        Path path = Shared.require(modelPath);
        Random r = new Random(modelPath.hashCode());
        RandomFormats formats = new RandomFormats(r);
        int complete = 0, length = 0, tokens = 0;
        try (Model model = Model.open(path, ModelOptions.defaults().withThreads(1).withContextLength(128))) {
            Tokenizer tok = Tokenizer.fromMetadata(model.file().metadata());
            Generator generator = new Generator(model, tok);
            KvCache seq = model.newSequence();
            for (int i = 0; i < CASES; i++) {
                Case c = randomCase(r, formats);
                int[] prompt = tok.encode(List.of("Answer:", "JSON", "Label", "Once upon a time")
                        .get(r.nextInt(4)), true, false);
                int maxTokens = 16 + r.nextInt(49);
                SamplingParams sampling = new SamplingParams(1.0f, 0, 1.0f, 0f, 1f, 0f, 0f, 64, r.nextLong() >>> 1);
                GrammarConstraint constraint = c.output().newConstraint(tok);
                GenerationResult res = generator.generate(seq, prompt, GenerationRequest.of(sampling, maxTokens),
                        List.of(constraint), text -> true);
                String where = c.spec() + "\n-> " + res.finishReason() + " " + res.text();
                assertTrue(res.tokens().length <= maxTokens, where);
                byte[] bytes = outputBytes(tok, res.tokens());
                GrammarMatcher replay = new GrammarMatcher(c.output().grammar());
                assertTrue(replay.advance(bytes), () -> "every generated token must continue the grammar: " + where);
                tokens += res.tokens().length;
                if (res.finishReason() == FinishReason.STOP) {
                    complete++;
                    assertTrue(replay.canEnd(), where);
                    assertEquals(new String(bytes, StandardCharsets.UTF_8), res.text(), where);
                    assertNull(c.output().check(res.text()), where);
                    assertNull(c.independent().apply(res.text()), where);
                } else if (res.finishReason() == FinishReason.LENGTH) {
                    length++;
                    assertEquals(maxTokens, res.tokens().length, where);
                    assertFalse(constraint.isComplete(), where);
                } else {
                    fail("unexpected finish reason " + res.finishReason() + ": " + where);
                }
            }
        }
        System.out.printf("%s: %d cases, %d complete and valid, %d ended at the token limit, %.1f tokens per case%n",
                path.getFileName(), CASES, complete, length, tokens / (double) CASES);
        // Many cases must finish (about 60% do): a property that held only on cut-off outputs would prove little.
        assertTrue(complete >= CASES * 2 / 5, "only " + complete + " of " + CASES + " cases finished");
    }

    record Case(String spec, StructuredOutput output, Function<String, String> independent) {}

    static Case randomCase(Random r, RandomFormats formats) {
        int kind = r.nextInt(20);
        if (kind < 12) {
            String schema = formats.schema();
            JsonOptions options = r.nextBoolean() ? JsonOptions.COMPACT : JsonOptions.DEFAULT;
            return new Case("schema " + schema, StructuredOutput.jsonSchema(schema, options), out -> IndependentChecks.schema(schema, out));
        }
        if (kind < 13) {
            return new Case("any JSON object", StructuredOutput.json(true, JsonOptions.COMPACT), out -> IndependentChecks.schema("{\"type\":\"object\"}", out));
        }
        if (kind < 17) {
            String regex = formats.regex();
            return new Case("regex " + regex, StructuredOutput.regex(regex), out -> IndependentChecks.regex(regex, out));
        }
        List<String> choices = formats.choices();
        return new Case("choices " + choices, StructuredOutput.choices(choices), out -> IndependentChecks.choices(choices, out));
    }

    /** What the tokens contribute to the text (end-of-generation tokens contribute nothing). */
    static byte[] outputBytes(Tokenizer tok, int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t : tokens) if (!tok.isEndOfGeneration(t)) out.writeBytes(tok.tokenBytes(t, false));
        return out.toByteArray();
    }
}
