package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
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

    /** A lane and the scalar twin give the same bits, so a loop's tail matches its vector part. */
    @Test
    void lanesEqualTheScalarTwin() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = Simd.F.length();
        float[] x = new float[n], y = new float[n];
        for (int round = 0; round < 20_000; round++) {
            for (int k = 0; k < n; k++) x[k] = (float) (rnd.nextGaussian() * (round % 3 == 0 ? 60 : 4) - (round % 7 == 0 ? 60 : 0));
            Exp.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
            for (int k = 0; k < n; k++) assertEquals(Float.floatToRawIntBits(Exp.exp(x[k])), Float.floatToRawIntBits(y[k]), "x = " + x[k]);
        }
    }

    /** Out of range inputs: 0 below the normal floats (e^-inf = 0, as softmax needs), large and finite above. */
    @Test
    void handlesOutOfRangeInputs() {
        assertEquals(0f, Exp.exp(-1000f));
        assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Exp.exp(1000f) > 1e38f && Float.isFinite(Exp.exp(1000f)));
        float[] x = new float[Simd.F.length()], y = new float[x.length];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        Exp.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
        for (float v : y) assertEquals(0f, v);
    }
}
