package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The grouped attention kernels give the bits of the plain one-position loops (one fused
 * multiply-add per dimension for a key; one per position and lane for the values), for head sizes
 * with and without a vector tail and any number of positions.
 */
class AttentionKernelsTest {
    private static final int[] HEAD_DIMS = {64, 128, 80, 96, 24, 7};
    private static final int[] POSITIONS = {1, 7, 8, 9, 16, 17, 23, 64, 128, 144, 301};

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** One fused multiply-add per dimension, in order. */
    private static float plainDot(float[] q, int qOff, float[] k, int kOff, int hd) {
        float s = 0;
        for (int d = 0; d < hd; d++) s = Math.fma(k[kOff + d], q[qOff + d], s);
        return s;
    }

    /** Rows of keys (key p at p * hd) in keyDots' layout, the lanes past n of the last block filled with junk. */
    private static float[] byDimension(float[] rows, int n, int hd, SplittableRandom r) {
        int block = AttentionKernels.KEY_BLOCK;
        float[] out = random(r, Math.ceilDiv(n, block) * block * hd);
        for (int p = 0; p < n; p++) {
            for (int d = 0; d < hd; d++) out[(p / block) * hd * block + d * block + p % block] = rows[p * hd + d];
        }
        return out;
    }

    @Test
    void keyDotsEqualOneKeyAtATime() {
        SplittableRandom r = new SplittableRandom(1);
        for (int hd : HEAD_DIMS) {
            for (int n : POSITIONS) {
                float[] q = random(r, hd + 3), keys = random(r, n * hd), scores = new float[n + 6];
                scores[n + 5] = 42;
                AttentionKernels.keyDots(q, 3, byDimension(keys, n, hd, r), n, hd, scores, 5);
                for (int p = 0; p < n; p++) {
                    assertEquals(Float.floatToRawIntBits(plainDot(q, 3, keys, p * hd, hd)), Float.floatToRawIntBits(scores[5 + p]),
                            "head size " + hd + ", " + n + " keys, key " + p);
                }
                assertEquals(42f, scores[n + 5], "nothing written past the last key");
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
