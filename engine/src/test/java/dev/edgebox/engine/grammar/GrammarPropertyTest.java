package dev.edgebox.engine.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Without a model: random formats, random sentences of their grammars, and every sentence must
 * pass both our checks and the independent ones. This covers far more cases per second than
 * sampling from a model does ({@link ConstrainedGenerationPropertyTest}).
 */
class GrammarPropertyTest {

    @Test
    void sentencesOfRandomSchemasValidate() {
        Random r = new Random(20260601);
        RandomFormats formats = new RandomFormats(r);
        int checked = 0;
        for (int i = 0; i < 1500; i++) {
            String schema = formats.schema();
            JsonOptions options = r.nextBoolean() ? JsonOptions.DEFAULT : JsonOptions.COMPACT;
            StructuredOutput out = StructuredOutput.jsonSchema(schema, options);
            SentenceSampler sampler = new SentenceSampler(out.grammar());
            for (int k = 0; k < 3; k++) {
                String text = sampler.sample(r, 10 + r.nextInt(60));
                assertNotNull(text, schema);
                assertNull(out.check(text), () -> schema + "\n" + text);
                assertNull(IndependentChecks.schema(schema, text), () -> schema + "\n" + text);
                checked++;
            }
        }
        assertEquals(4500, checked);
    }

    @Test
    void sentencesOfRandomRegexesAndChoicesMatch() {
        Random r = new Random(20260602);
        RandomFormats formats = new RandomFormats(r);
        for (int i = 0; i < 800; i++) {
            String regex = formats.regex();
            StructuredOutput out = StructuredOutput.regex(regex);
            SentenceSampler sampler = new SentenceSampler(out.grammar());
            for (int k = 0; k < 4; k++) {
                String text = sampler.sample(r, 15);
                assertNotNull(text, regex);
                assertNull(out.check(text), () -> regex + " -> " + text);
                assertNull(IndependentChecks.regex(regex, text), () -> regex + " -> " + text);
            }
        }
        for (int i = 0; i < 300; i++) {
            List<String> choices = formats.choices();
            StructuredOutput out = StructuredOutput.choices(choices);
            String text = new SentenceSampler(out.grammar()).sample(r, 5);
            assertNull(IndependentChecks.choices(choices, text));
        }
    }
}
