package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The grouped attention kernels give the bits of the plain one-position loops (one accumulator
 * summed by {@link Simd#sum} then the scalar tail; one fused multiply-add per position and lane),
 * for head sizes with and without a vector tail and any number of positions.
 */
class AttentionKernelsTest {
    private static final int[] HEAD_DIMS = {64, 128, 80, 96, 24, 7};
    private static final int[] POSITIONS = {1, 7, 8, 9, 16, 23, 64, 301};

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static float plainDot(float[] q, int qOff, float[] k, int kOff, int hd) {
        int bound = Simd.F.loopBound(hd), i = 0;
        FloatVector acc = FloatVector.zero(Simd.F);
        for (; i < bound; i += Simd.F.length()) {
            acc = FloatVector.fromArray(Simd.F, q, qOff + i).fma(FloatVector.fromArray(Simd.F, k, kOff + i), acc);
        }
        float s = Simd.sum(acc);
        for (; i < hd; i++) s += q[qOff + i] * k[kOff + i];
        return s;
    }

    @Test
    void keyDotsEqualOneKeyAtATime() {
        SplittableRandom r = new SplittableRandom(1);
        float[] lanes = new float[128];
        for (int hd : HEAD_DIMS) {
            for (int n : POSITIONS) {
                float[] q = random(r, hd + 3), keys = random(r, n * hd), scores = new float[n + 5];
                AttentionKernels.keyDots(q, 3, keys, n, hd, scores, 5, lanes);
                for (int p = 0; p < n; p++) {
                    assertEquals(Float.floatToRawIntBits(plainDot(q, 3, keys, p * hd, hd)), Float.floatToRawIntBits(scores[5 + p]),
                            "head size " + hd + ", " + n + " keys, key " + p);
                }
            }
        }
    }

    @Test
    void weightedValuesEqualOnePositionAtATime() {
        SplittableRandom r = new SplittableRandom(2);
        for (int hd : HEAD_DIMS) {
            for (int n : POSITIONS) {
                float[] values = random(r, n * hd), w = random(r, 2 * n + 4);
                float[] start = random(r, 2 * hd + 10);
                float[] expected = start.clone();
                for (int d = 0; d < hd; d++) {
                    for (int p = 0; p < n; p++) {
                        expected[1 + d] = Math.fma(values[p * hd + d], w[2 + p], expected[1 + d]);
                        expected[5 + hd + d] = Math.fma(values[p * hd + d], w[4 + n + p], expected[5 + hd + d]);
                    }
                }
                float[] two = start.clone(), one = start.clone();
                AttentionKernels.weightedValues2(values, n, hd, w, 2, 4 + n, two, 1, 5 + hd);
                AttentionKernels.weightedValues(values, n, hd, w, 2, one, 1);
                AttentionKernels.weightedValues(values, n, hd, w, 4 + n, one, 5 + hd);
                for (int i = 0; i < start.length; i++) {
                    String where = "head size " + hd + ", " + n + " positions, element " + i;
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(two[i]), "two heads: " + where);
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(one[i]), "one head: " + where);
                }
            }
        }
    }
}
