package dev.edgebox.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.testing.ReferenceCase;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * stories260K is a real trained model: from the prompt text, through our tokenizer, decoder and
 * generation loop, it must write llama.cpp's greedy story, token for token and character for character.
 */
class StoriesGreedyTest {

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-f32", "stories260K-q8_0"})
    void writesLlamaCppsGreedyStory(String name) {
        ReferenceCase ref = ReferenceCase.load(Shared.require("reference/models/stories260K/" + name + ".json"));
        try (Model m = Model.open(ref.model(), ModelOptions.defaults().withKvType(KvCache.Type.F32))) {
            Tokenizer tok = Tokenizer.fromMetadata(m.file().metadata());
            int[] prompt = tok.encode(ref.promptText(), true, false);
            assertArrayEquals(ref.promptIds(), prompt, "prompt tokens");
            List<String> pieces = new ArrayList<>();
            GenerationRequest req = new GenerationRequest(SamplingParams.GREEDY, 32, List.of(), true);
            GenerationResult r = new Generator(m, tok).generate(m.newSequence(), prompt, req, pieces::add);
            assertArrayEquals(ref.greedyIds(), r.tokens(), "greedy ids");
            assertEquals(ref.greedyText(), String.join("", pieces).stripLeading(), "streamed text");
            assertEquals(FinishReason.LENGTH, r.finishReason());
        }
    }
}
