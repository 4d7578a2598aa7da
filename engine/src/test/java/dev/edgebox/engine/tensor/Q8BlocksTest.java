package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector quantizers of activations give the bits of the scalar definitions (which
 * GgmlReferenceTest holds to ggml's own bytes) on inputs made to hit their corners: all-zero
 * blocks, ties for the largest magnitude with either sign first, exact halves to round, and
 * magnitudes from tiny to large.
 */
class Q8BlocksTest {
    private static final int BLOCKS = 40;

    @Test
    void q8_0AndQ8_1MatchTheScalarDefinition() {
        for (ActivationFormat format : new ActivationFormat[] {ActivationFormat.Q8_0, ActivationFormat.Q8_1}) {
            for (int seed = 0; seed < 20; seed++) {
                float[] x = inputs(seed, 32 * BLOCKS, 32);
                Activations vector = new Activations(format).set(x, 0, 1, x.length);
                Activations scalar = new Activations(format).set(new float[x.length], 0, 1, x.length);
                for (int b = 0; b < BLOCKS; b++) Q8Blocks.q8_0Scalar(x, 32 * b, b, format == ActivationFormat.Q8_1, scalar);
                assertSame(vector, scalar, format == ActivationFormat.Q8_1, format + " seed " + seed);
            }
        }
    }

    @Test
    void q8_KMatchesTheScalarDefinition() {
        for (int seed = 0; seed < 20; seed++) {
            float[] x = inputs(seed, 256 * BLOCKS, 256);
            Activations vector = new Activations(ActivationFormat.Q8_K).set(x, 0, 1, x.length);
            Activations scalar = new Activations(ActivationFormat.Q8_K).set(new float[x.length], 0, 1, x.length);
            for (int b = 0; b < BLOCKS; b++) Q8Blocks.q8_KScalar(x, 256 * b, b, scalar);
            assertSame(vector, scalar, false, "Q8_K seed " + seed);
            for (int i = 0; i < 16 * BLOCKS; i++) assertEquals(scalar.bsums[i], vector.bsums[i], "Q8_K seed " + seed + " bsum " + i);
        }
    }

    private static void assertSame(Activations vector, Activations scalar, boolean sums, String what) {
        int n = vector.cols(), blocks = n / vector.format().blockSize;
        for (int i = 0; i < n; i++) {
            assertEquals(scalar.q[i], vector.q[i], what + " q " + i);
            assertEquals(Float.floatToRawIntBits(scalar.qf()[i]), Float.floatToRawIntBits(vector.qf()[i]), what + " qf " + i);
            if (!sums) assertEquals(Float.floatToRawIntBits(scalar.dq[i]), Float.floatToRawIntBits(vector.dq[i]), what + " dq " + i);
        }
        for (int b = 0; b < blocks; b++) {
            assertEquals(Float.floatToRawIntBits(scalar.d[b]), Float.floatToRawIntBits(vector.d[b]), what + " d " + b);
            if (sums) assertEquals(Float.floatToRawIntBits(scalar.s[b]), Float.floatToRawIntBits(vector.s[b]), what + " s " + b);
        }
    }

    /** Blocks of random values at a random scale, some all zero, some with a tie for the largest magnitude, some on exact halves. */
    private static float[] inputs(int seed, int n, int block) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int b = 0; b < n / block; b++) {
            int kind = rnd.nextInt(5), o = b * block;
            if (kind == 0) continue; // all zero
            float scale = (float) Math.pow(10, rnd.nextInt(-6, 4));
            for (int j = 0; j < block; j++) x[o + j] = (float) (rnd.nextGaussian() * scale);
            if (kind == 1) {
                // Two elements of the largest magnitude, opposite signs, in random order.
                float top = 4 * scale;
                int i = rnd.nextInt(block), k = (i + 1 + rnd.nextInt(block - 1)) % block;
                x[o + i] = rnd.nextBoolean() ? top : -top;
                x[o + k] = -x[o + i];
            } else if (kind == 2) {
                // Integers and halves times amax / 127: the products land on or next to .5.
                float amax = 127 * scale;
                for (int j = 0; j < block; j++) x[o + j] = scale * (rnd.nextInt(-254, 255) / 2f);
                x[o + rnd.nextInt(block)] = amax;
            }
        }
        return x;
    }
}
