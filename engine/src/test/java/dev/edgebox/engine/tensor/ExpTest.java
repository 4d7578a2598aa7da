package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpTest {
    /** Within 1 ulp of the correctly rounded e^x over the whole normal range, on a dense sweep and random values. */
    @Test
    void staysWithinOneUlpOfTheExactValue() {
        float worst = 0, at = 0;
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            float x = i < 1_000_000 ? -87.3f + i * (175.3f / 1_000_000) : (float) rnd.nextDouble(-87.3, 88);
            float exact = (float) Math.exp(x);
            float ulps = Math.abs(Exp.exp(x) - exact) / Math.ulp(exact);
            if (ulps > worst) {
                worst = ulps;
                at = x;
            }
        }
        assertTrue(worst <= 1, "worst error " + worst + " ulp at x = " + at);
        assertEquals(1f, Exp.exp(0f));
        assertEquals((float) Math.E, Exp.exp(1f), Math.ulp((float) Math.E));
    }

    /** The lanes of expShifted give the scalar twin's bits, so a loop's tail matches its vector part, whatever the shift. */
    @Test
    void lanesEqualTheScalarTwin() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = new float[1003], y = new float[x.length];
        for (int round = 0; round < 300; round++) {
            for (int k = 0; k < x.length; k++) x[k] = (float) (rnd.nextGaussian() * (round % 3 == 0 ? 60 : 4) - (round % 7 == 0 ? 60 : 0));
            float shift = round % 2 == 0 ? 0f : (float) rnd.nextGaussian() * 10;
            System.arraycopy(x, 0, y, 0, x.length);
            int from = round % 5;
            Exp.expShifted(y, from, x.length - from, shift);
            for (int k = from; k < x.length; k++) {
                assertEquals(Float.floatToRawIntBits(Exp.exp(x[k] - shift)), Float.floatToRawIntBits(y[k]), "x = " + x[k] + ", shift " + shift);
            }
        }
    }

    /** Out of range inputs: 0 below the normal floats (e^-inf = 0, as softmax needs), large and finite above. */
    @Test
    void handlesOutOfRangeInputs() {
        assertEquals(0f, Exp.exp(-1000f));
        assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Exp.exp(1000f) > 1e38f && Float.isFinite(Exp.exp(1000f)));
        float[] x = new float[4 * Simd.F.length()];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        Exp.expShifted(x, 0, x.length, 0f);
        for (float v : x) assertEquals(0f, v);
    }
}
