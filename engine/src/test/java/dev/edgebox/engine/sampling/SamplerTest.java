package dev.edgebox.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static float[] randomLogits(int n, long seed) {
        Random r = new Random(seed);
        float[] l = new float[n];
        for (int i = 0; i < n; i++) l[i] = (float) (r.nextGaussian() * 3);
        return l;
    }

    static int[] draw(SamplingParams p, float[] logits, int count) {
        Sampler s = new Sampler(p);
        int[] out = new int[count];
        TokenHistory h = new TokenHistory();
        for (int i = 0; i < count; i++) {
            out[i] = s.sample(logits.clone(), 0, logits.length, h);
            h.add(out[i]);
        }
        return out;
    }

    @Test
    void greedyIsArgmax() {
        float[] l = randomLogits(1000, 1);
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
        assertEquals(best, draw(SamplingParams.GREEDY, l, 1)[0]);
    }

    @Test
    void sameSeedSameOutputAndDifferentSeedsDiffer() {
        float[] l = randomLogits(5000, 2);
        SamplingParams p = SamplingParams.DEFAULTS.withTemperature(1.5f).withTopK(0).withMinP(0).withSeed(1234);
        assertArrayEquals(draw(p, l, 200), draw(p, l, 200));
        assertNotEquals(java.util.Arrays.toString(draw(p, l, 200)), java.util.Arrays.toString(draw(p.withSeed(99), l, 200)));
    }

    @Test
    void topKOneIsGreedy() {
        float[] l = randomLogits(3000, 3);
        int[] a = draw(SamplingParams.DEFAULTS.withTemperature(2f).withTopK(1).withSeed(5), l, 50);
        int g = draw(SamplingParams.GREEDY, l, 1)[0];
        for (int t : a) assertEquals(g, t);
    }

    @Test
    void topKKeepsOnlyTheKBest() {
        float[] l = randomLogits(3000, 4);
        Integer[] order = new Integer[l.length];
        for (int i = 0; i < l.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Float.compare(l[y], l[x]));
        Set<Integer> top5 = new HashSet<>(java.util.Arrays.asList(order).subList(0, 5));
        Set<Integer> seen = new HashSet<>();
        for (int t : draw(SamplingParams.DEFAULTS.withTemperature(5f).withTopK(5).withTopP(1f).withMinP(0).withSeed(6), l, 2000)) {
            assertTrue(top5.contains(t), "token " + t + " is not in the top 5");
            seen.add(t);
        }
        assertEquals(5, seen.size(), "a high temperature should reach all five");
    }

    @Test
    void topKSelectionEqualsAFullSortWithTiesMaskedAndNaN() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            int vocab = 1 + r.nextInt(3000);
            float[] l = new float[vocab];
            for (int i = 0; i < vocab; i++) {
                int kind = r.nextInt(20);
                // Few distinct values so that ties are common; -0.0 beside 0.0; masked and NaN logits.
                l[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? Float.NaN : kind == 2 ? -0.0f : r.nextInt(40) - 20;
            }
            int k = 1 + r.nextInt(Math.min(vocab, 80));
            long[] heap = new long[vocab];
            int n = Sampler.topByHeap(l, k, heap);
            long[] got = java.util.Arrays.copyOf(heap, n);
            java.util.Arrays.sort(got);
            long[] all = java.util.stream.IntStream.range(0, vocab).filter(i -> !Float.isNaN(l[i]) && l[i] != Float.NEGATIVE_INFINITY)
                    .mapToLong(i -> (long) Sampler.sortableBits(l[i]) << 32 | i).sorted().toArray();
            long[] want = java.util.Arrays.copyOfRange(all, Math.max(0, all.length - k), all.length);
            assertArrayEquals(want, got, "vocab " + vocab + ", k " + k);
        }
    }

    @Test
    void minPDropsUnlikelyTokens() {
        float[] l = new float[100];
        java.util.Arrays.fill(l, -10f);
        l[7] = 5f;
        l[8] = 4.5f; // p8/p7 = e^-0.5 = 0.61
        l[9] = 2f;   // p9/p7 = e^-3 = 0.05
        for (int t : draw(SamplingParams.DEFAULTS.withTemperature(1f).withTopK(0).withTopP(1f).withMinP(0.1f).withSeed(7), l, 3000)) {
            assertTrue(t == 7 || t == 8, "min-p should keep only 7 and 8, got " + t);
        }
    }

    @Test
    void topPKeepsTheNucleus() {
        float[] l = new float[50];
        java.util.Arrays.fill(l, -20f);
        l[1] = 3f;
        l[2] = 3f; // two tokens hold ~all the mass, each ~0.5
        l[3] = 0f;
        for (int t : draw(SamplingParams.DEFAULTS.withTemperature(1f).withTopK(0).withTopP(0.9f).withMinP(0).withSeed(8), l, 2000)) {
            assertTrue(t == 1 || t == 2, "got " + t);
        }
    }

    @Test
    void penaltiesFollowLlamaCpp() {
        float[] l = {2f, -2f, 1f, 0.5f};
        TokenHistory h = new TokenHistory(new int[] {0, 1, 0, 3});
        new Penalties(SamplingParams.DEFAULTS.withPenalties(2f, 0.1f, 0.5f, 64)).process(l, h);
        assertEquals(2f / 2 - 2 * 0.1f - 0.5f, l[0], 1e-6);
        assertEquals(-2f * 2 - 0.1f - 0.5f, l[1], 1e-6);
        assertEquals(1f, l[2], 0);
        assertEquals(0.5f / 2 - 0.1f - 0.5f, l[3], 1e-6);
    }

    @Test
    void penaltyWindowLooksOnlyAtTheLastN() {
        float[] l = {2f, 2f};
        new Penalties(SamplingParams.DEFAULTS.withPenalties(2f, 0, 0, 1)).process(l, new TokenHistory(new int[] {0, 1}));
        assertEquals(2f, l[0]);
        assertEquals(1f, l[1]);
    }

    @Test
    void maskedTokensAreNeverChosen() {
        float[] l = randomLogits(500, 9);
        for (int i = 0; i < l.length; i++) if (i % 7 != 0) l[i] = Float.NEGATIVE_INFINITY;
        for (int t : draw(SamplingParams.DEFAULTS.withTemperature(3f).withTopK(0).withTopP(1f).withMinP(0).withSeed(10), l, 500)) {
            assertEquals(0, t % 7);
        }
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        EngineException e = assertThrows(EngineException.class, () -> SamplingParams.DEFAULTS.withTopP(0f));
        assertTrue(e.getMessage().contains("top_p"));
        assertThrows(EngineException.class, () -> SamplingParams.DEFAULTS.withTemperature(-1f));
        assertThrows(EngineException.class, () -> SamplingParams.DEFAULTS.withTopK(-2));
    }
}
