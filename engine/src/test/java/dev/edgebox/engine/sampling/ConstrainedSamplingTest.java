package dev.edgebox.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sampler draws first and masks only when a constraint refuses the drawn token. */
class ConstrainedSamplingTest {

    /** Allows even token ids only; counts how often the full mask was asked for. */
    static final class EvenOnly implements TokenConstraint {
        int masks;

        @Override
        public void process(float[] logits, TokenHistory history) {
            masks++;
            for (int i = 1; i < logits.length; i += 2) logits[i] = Float.NEGATIVE_INFINITY;
        }

        @Override
        public boolean allows(int token) {
            return token % 2 == 0;
        }

        @Override
        public void accept(int token) {
            if (!allows(token)) throw new AssertionError("accepted a refused token " + token);
        }

        @Override
        public boolean isComplete() {
            return false;
        }
    }

    @Test
    void greedyMasksOnlyWhenTheBestTokenIsRefused() {
        EvenOnly c = new EvenOnly();
        Sampler s = new Sampler(SamplingParams.GREEDY).addProcessor(c);
        assertEquals(4, s.sample(new float[] {0, 1, 2, 3, 9, 1}, 0, 6, new TokenHistory()));
        assertEquals(0, c.masks);
        assertEquals(2, s.sample(new float[] {0, 1, 5, 9, 1, 1}, 0, 6, new TokenHistory()));
        assertEquals(1, c.masks);
    }

    /** With plain temperature sampling, drawing first and then masking gives exactly the masked distribution. */
    @Test
    void temperatureSamplingFollowsTheMaskedDistribution() {
        float[] logits = {1.0f, 2.0f, 0.5f, 1.5f, 0.0f, 3.0f, 1.2f, 0.1f};
        SamplingParams p = SamplingParams.DEFAULTS.withTemperature(1f).withTopK(0).withTopP(1f).withMinP(0f).withSeed(42);
        EvenOnly c = new EvenOnly();
        Sampler s = new Sampler(p).addProcessor(c);
        int n = 200_000;
        int[] counts = new int[logits.length];
        for (int i = 0; i < n; i++) counts[s.sample(logits.clone(), 0, logits.length, new TokenHistory())]++;
        double z = 0;
        for (int i = 0; i < logits.length; i += 2) z += Math.exp(logits[i]);
        for (int i = 0; i < logits.length; i++) {
            double expected = i % 2 == 0 ? Math.exp(logits[i]) / z : 0;
            double observed = counts[i] / (double) n;
            int token = i;
            assertEquals(expected, observed, 0.005, () -> "token " + token);
        }
        assertTrue(c.masks < n, "the mask is computed only when the first draw is refused");
    }
}
