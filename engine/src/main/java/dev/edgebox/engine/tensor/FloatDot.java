package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;

import jdk.incubator.vector.FloatVector;

/**
 * Dot products of float rows in the one accumulation order that every decoding kernel follows:
 * elements go in groups of 32; the first 16 of each group feed accumulator 0 and the last 16
 * accumulator 1, a vector at a time in element order; the two are added and summed by
 * {@link Simd#sum}, and elements past the last whole group are added one by one. A kernel that
 * decodes weights in registers (one token) and one that multiplies a decoded row (many tokens)
 * therefore give the same bits for the same token.
 */
final class FloatDot {
    private FloatDot() {}

    static final int GROUP = 32, HALF = 16;

    static float dot(float[] w, float[] x, int xOff, int n) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + GROUP <= n; i += GROUP) {
            for (int j = 0; j < HALF; j += step) {
                a0 = FloatVector.fromArray(F, w, i + j).fma(FloatVector.fromArray(F, x, xOff + i + j), a0);
                a1 = FloatVector.fromArray(F, w, i + HALF + j).fma(FloatVector.fromArray(F, x, xOff + i + HALF + j), a1);
            }
        }
        return tail(Simd.sum(a0.add(a1)), w, x, xOff, i, n);
    }

    /** Adds the elements past the last whole group, one by one. */
    static float tail(float sum, float[] w, float[] x, int xOff, int from, int n) {
        for (int i = from; i < n; i++) sum += w[i] * x[xOff + i];
        return sum;
    }

    /**
     * out[o + t * outStride] = dot(w, token t) for t in [0, nTok), token t at x[t * n ..]. Four tokens
     * at a time share each load of w.
     */
    static void rowTimesTokens(float[] w, int n, float[] x, int nTok, float[] out, int o, int outStride) {
        int t = 0;
        for (; t + 4 <= nTok; t += 4) dot4(w, x, t * n, n, out, o + t * outStride, outStride);
        for (; t < nTok; t++) out[o + t * outStride] = dot(w, x, t * n, n);
    }

    private static void dot4(float[] w, float[] x, int x0, int n, float[] out, int o, int outStride) {
        if (F.length() == HALF) dot4Wide(w, x, x0, n, out, o, outStride);
        else dot4AnyWidth(w, x, x0, n, out, o, outStride);
    }

    /** 512 bits: a half is one vector, so the loop has no inner loop and the JIT drops the index checks. */
    private static void dot4Wide(float[] w, float[] x, int x0, int n, float[] out, int o, int outStride) {
        int x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int bound = n - n % GROUP;
        for (int i = 0; i < bound; i += GROUP) {
            FloatVector wl = FloatVector.fromArray(F, w, i), wh = FloatVector.fromArray(F, w, i + HALF);
            a0 = wl.fma(FloatVector.fromArray(F, x, x0 + i), a0);
            b0 = wh.fma(FloatVector.fromArray(F, x, x0 + i + HALF), b0);
            a1 = wl.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            b1 = wh.fma(FloatVector.fromArray(F, x, x1 + i + HALF), b1);
            a2 = wl.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            b2 = wh.fma(FloatVector.fromArray(F, x, x2 + i + HALF), b2);
            a3 = wl.fma(FloatVector.fromArray(F, x, x3 + i), a3);
            b3 = wh.fma(FloatVector.fromArray(F, x, x3 + i + HALF), b3);
        }
        out[o] = tail(Simd.sum(a0.add(b0)), w, x, x0, bound, n);
        out[o + outStride] = tail(Simd.sum(a1.add(b1)), w, x, x1, bound, n);
        out[o + 2 * outStride] = tail(Simd.sum(a2.add(b2)), w, x, x2, bound, n);
        out[o + 3 * outStride] = tail(Simd.sum(a3.add(b3)), w, x, x3, bound, n);
    }

    private static void dot4AnyWidth(float[] w, float[] x, int x0, int n, float[] out, int o, int outStride) {
        int step = F.length();
        int x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + GROUP <= n; i += GROUP) {
            for (int j = 0; j < HALF; j += step) {
                int lo = i + j, hi = i + HALF + j;
                FloatVector wl = FloatVector.fromArray(F, w, lo), wh = FloatVector.fromArray(F, w, hi);
                a0 = wl.fma(FloatVector.fromArray(F, x, x0 + lo), a0);
                b0 = wh.fma(FloatVector.fromArray(F, x, x0 + hi), b0);
                a1 = wl.fma(FloatVector.fromArray(F, x, x1 + lo), a1);
                b1 = wh.fma(FloatVector.fromArray(F, x, x1 + hi), b1);
                a2 = wl.fma(FloatVector.fromArray(F, x, x2 + lo), a2);
                b2 = wh.fma(FloatVector.fromArray(F, x, x2 + hi), b2);
                a3 = wl.fma(FloatVector.fromArray(F, x, x3 + lo), a3);
                b3 = wh.fma(FloatVector.fromArray(F, x, x3 + hi), b3);
            }
        }
        out[o] = tail(Simd.sum(a0.add(b0)), w, x, x0, i, n);
        out[o + outStride] = tail(Simd.sum(a1.add(b1)), w, x, x1, i, n);
        out[o + 2 * outStride] = tail(Simd.sum(a2.add(b2)), w, x, x2, i, n);
        out[o + 3 * outStride] = tail(Simd.sum(a3.add(b3)), w, x, x3, i, n);
    }
}
