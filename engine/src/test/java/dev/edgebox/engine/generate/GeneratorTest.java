package dev.edgebox.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.testing.ReferenceCase;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generation loop on the real stories260K model: greedy ids as llama.cpp's, stop strings, limits, cancelling. */
class GeneratorTest {
    static final String CASE = "reference/models/stories260K/stories260K-f32.json";

    static Model open() {
        ReferenceCase ref = ReferenceCase.load(Shared.require(CASE));
        return Model.open(ref.model(), new ModelOptions(1, 0, KvCache.Type.F32, 8));
    }

    @Test
    void greedyGenerationReproducesLlamaCppIds() {
        ReferenceCase ref = ReferenceCase.load(Shared.require(CASE));
        int[] expected = ref.greedyIds();
        try (Model m = open()) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = new Generator(m, tok).generate(m.newSequence(), ref.promptIds(),
                    new GenerationRequest(SamplingParams.GREEDY, expected.length, List.of(), true), t -> {
                        streamed.append(t);
                        return true;
                    });
            assertArrayEquals(expected, r.tokens());
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(streamed.toString(), r.text());
            assertEquals(ref.promptIds().length, r.promptTokens());
        }
    }

    @Test
    void stopStringEndsGenerationAndIsNotShown() {
        ReferenceCase ref = ReferenceCase.load(Shared.require(CASE));
        try (Model m = open()) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            Generator g = new Generator(m, tok);
            String full = g.generate(m.newSequence(), ref.promptIds(), new GenerationRequest(SamplingParams.GREEDY, 32, List.of(), true), t -> true).text();
            int cut = full.indexOf(" park");
            assertTrue(cut > 0, full);
            StringBuilder shown = new StringBuilder();
            GenerationResult r = g.generate(m.newSequence(), ref.promptIds(), new GenerationRequest(SamplingParams.GREEDY, 32, List.of(" park"), true),
                    t -> shown.append(t) != null);
            assertEquals(FinishReason.STOP, r.finishReason());
            assertEquals(full.substring(0, cut), r.text());
            assertEquals(r.text(), shown.toString());
        }
    }

    @Test
    void listenerCancelsAndZeroTokensGeneratesNothing() {
        ReferenceCase ref = ReferenceCase.load(Shared.require(CASE));
        try (Model m = open()) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            Generator g = new Generator(m, tok);
            GenerationResult cancelled = g.generate(m.newSequence(), ref.promptIds(), new GenerationRequest(SamplingParams.GREEDY, 32, List.of(), true), t -> false);
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
            assertTrue(cancelled.tokens().length < 32);
            GenerationResult none = g.generate(m.newSequence(), ref.promptIds(), GenerationRequest.of(SamplingParams.GREEDY, 0), t -> true);
            assertEquals(0, none.tokens().length);
            assertEquals(FinishReason.LENGTH, none.finishReason());
        }
    }

    @Test
    void aSecondTurnReusesTheCommonPrefixAndGivesTheSameIds() {
        ReferenceCase ref = ReferenceCase.load(Shared.require(CASE));
        try (Model m = open()) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            Generator g = new Generator(m, tok);
            KvCache seq = m.newSequence();
            GenerationRequest req = new GenerationRequest(SamplingParams.GREEDY, 8, List.of(), true);
            GenerationResult first = g.generate(seq, ref.promptIds(), req, t -> true);
            GenerationResult again = g.generate(seq, ref.promptIds(), req, t -> true);
            assertEquals(0, first.cachedTokens());
            assertEquals(ref.promptIds().length - 1, again.cachedTokens());
            assertArrayEquals(first.tokens(), again.tokens());
            assertFalse(again.text().isEmpty());
        }
    }
}
