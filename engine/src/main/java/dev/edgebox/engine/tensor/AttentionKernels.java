package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;

import jdk.incubator.vector.FloatVector;

/**
 * The two products of attention over a chunk of positions whose keys or values are floats, position
 * p's row of headDim floats at p * headDim. Every result has the bits of the plain one-position
 * loops (a query's dot with one key: {@link Simd#sum} of one accumulator, then the scalar tail;
 * a value lane: one fused multiply-add per position, in position order), so a token's attention
 * does not depend on how positions, heads or tokens are grouped around it.
 */
public final class AttentionKernels {
    private AttentionKernels() {}

    /** Positions per pass of {@link #keyDots}: eight accumulators, summed together by {@link Simd#sum8}. */
    private static final int KEYS_PER_PASS = 8;

    /**
     * scores[sOff + p] = q[qOff ..] . keys[p * hd ..] for p in [0, n). 512 bits: eight keys per
     * pass against one load of each query vector, their lanes summed together ({@link Simd#sum8},
     * the same additions as {@link Simd#sum}). lanes: scratch of at least 128 floats.
     */
    public static void keyDots(float[] q, int qOff, float[] keys, int n, int hd, float[] scores, int sOff, float[] lanes) {
        int bound = F.loopBound(hd), p = 0;
        if (F.length() == 16) {
            for (; p + KEYS_PER_PASS <= n; p += KEYS_PER_PASS) {
                eightDots(q, qOff, keys, p * hd, hd, bound, lanes);
                Simd.sum8(lanes);
                for (int j = 0; j < KEYS_PER_PASS; j++) scores[sOff + p + j] = FloatDot.tail(lanes[j], q, qOff, keys, (p + j) * hd, bound, hd);
            }
        }
        for (; p < n; p++) {
            int k = p * hd;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < bound; i += F.length()) {
                acc = FloatVector.fromArray(F, q, qOff + i).fma(FloatVector.fromArray(F, keys, k + i), acc);
            }
            scores[sOff + p] = FloatDot.tail(Simd.sum(acc, lanes), q, qOff, keys, k, bound, hd);
        }
    }

    /** The accumulators of eight keys from key offset k on, left at lanes[16 j] for {@link Simd#sum8}. */
    private static void eightDots(float[] q, int qOff, float[] keys, int k, int hd, int bound, float[] lanes) {
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int i = 0; i < bound; i += F.length()) {
            FloatVector qv = FloatVector.fromArray(F, q, qOff + i);
            int o = k + i;
            a0 = qv.fma(FloatVector.fromArray(F, keys, o), a0);
            a1 = qv.fma(FloatVector.fromArray(F, keys, o + hd), a1);
            a2 = qv.fma(FloatVector.fromArray(F, keys, o + 2 * hd), a2);
            a3 = qv.fma(FloatVector.fromArray(F, keys, o + 3 * hd), a3);
            a4 = qv.fma(FloatVector.fromArray(F, keys, o + 4 * hd), a4);
            a5 = qv.fma(FloatVector.fromArray(F, keys, o + 5 * hd), a5);
            a6 = qv.fma(FloatVector.fromArray(F, keys, o + 6 * hd), a6);
            a7 = qv.fma(FloatVector.fromArray(F, keys, o + 7 * hd), a7);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, 16);
        a2.intoArray(lanes, 32);
        a3.intoArray(lanes, 48);
        a4.intoArray(lanes, 64);
        a5.intoArray(lanes, 80);
        a6.intoArray(lanes, 96);
        a7.intoArray(lanes, 112);
    }

    /**
     * For two heads reading the same values: out[oa + d] = fma(values[p * hd + d], w[wa + p], ...)
     * over p in [0, n) in order, starting from out's current value, and likewise out[ob + d] with
     * w[wb + p]. Each value vector is loaded once for both heads; eight accumulators (four vectors of
     * columns per head) stay in registers across the positions.
     */
    public static void weightedValues2(float[] values, int n, int hd, float[] w, int wa, int wb, float[] out, int oa, int ob) {
        int len = F.length(), d = 0;
        for (; d + 4 * len <= hd; d += 4 * len) {
            FloatVector a0 = FloatVector.fromArray(F, out, oa + d), a1 = FloatVector.fromArray(F, out, oa + d + len);
            FloatVector a2 = FloatVector.fromArray(F, out, oa + d + 2 * len), a3 = FloatVector.fromArray(F, out, oa + d + 3 * len);
            FloatVector b0 = FloatVector.fromArray(F, out, ob + d), b1 = FloatVector.fromArray(F, out, ob + d + len);
            FloatVector b2 = FloatVector.fromArray(F, out, ob + d + 2 * len), b3 = FloatVector.fromArray(F, out, ob + d + 3 * len);
            for (int p = 0, v = d; p < n; p++, v += hd) {
                FloatVector x = FloatVector.broadcast(F, w[wa + p]), y = FloatVector.broadcast(F, w[wb + p]);
                FloatVector v0 = FloatVector.fromArray(F, values, v), v1 = FloatVector.fromArray(F, values, v + len);
                FloatVector v2 = FloatVector.fromArray(F, values, v + 2 * len), v3 = FloatVector.fromArray(F, values, v + 3 * len);
                a0 = v0.fma(x, a0);
                a1 = v1.fma(x, a1);
                a2 = v2.fma(x, a2);
                a3 = v3.fma(x, a3);
                b0 = v0.fma(y, b0);
                b1 = v1.fma(y, b1);
                b2 = v2.fma(y, b2);
                b3 = v3.fma(y, b3);
            }
            a0.intoArray(out, oa + d);
            a1.intoArray(out, oa + d + len);
            a2.intoArray(out, oa + d + 2 * len);
            a3.intoArray(out, oa + d + 3 * len);
            b0.intoArray(out, ob + d);
            b1.intoArray(out, ob + d + len);
            b2.intoArray(out, ob + d + 2 * len);
            b3.intoArray(out, ob + d + 3 * len);
        }
        for (; d + len <= hd; d += len) {
            FloatVector a = FloatVector.fromArray(F, out, oa + d), b = FloatVector.fromArray(F, out, ob + d);
            for (int p = 0, v = d; p < n; p++, v += hd) {
                FloatVector v0 = FloatVector.fromArray(F, values, v);
                a = v0.fma(FloatVector.broadcast(F, w[wa + p]), a);
                b = v0.fma(FloatVector.broadcast(F, w[wb + p]), b);
            }
            a.intoArray(out, oa + d);
            b.intoArray(out, ob + d);
        }
        for (; d < hd; d++) {
            float a = out[oa + d], b = out[ob + d];
            for (int p = 0; p < n; p++) {
                a = Math.fma(values[p * hd + d], w[wa + p], a);
                b = Math.fma(values[p * hd + d], w[wb + p], b);
            }
            out[oa + d] = a;
            out[ob + d] = b;
        }
    }

    /** {@link #weightedValues2} for one head. */
    public static void weightedValues(float[] values, int n, int hd, float[] w, int wa, float[] out, int oa) {
        int len = F.length(), d = 0;
        for (; d + 4 * len <= hd; d += 4 * len) {
            FloatVector a0 = FloatVector.fromArray(F, out, oa + d), a1 = FloatVector.fromArray(F, out, oa + d + len);
            FloatVector a2 = FloatVector.fromArray(F, out, oa + d + 2 * len), a3 = FloatVector.fromArray(F, out, oa + d + 3 * len);
            for (int p = 0, v = d; p < n; p++, v += hd) {
                FloatVector x = FloatVector.broadcast(F, w[wa + p]);
                a0 = FloatVector.fromArray(F, values, v).fma(x, a0);
                a1 = FloatVector.fromArray(F, values, v + len).fma(x, a1);
                a2 = FloatVector.fromArray(F, values, v + 2 * len).fma(x, a2);
                a3 = FloatVector.fromArray(F, values, v + 3 * len).fma(x, a3);
            }
            a0.intoArray(out, oa + d);
            a1.intoArray(out, oa + d + len);
            a2.intoArray(out, oa + d + 2 * len);
            a3.intoArray(out, oa + d + 3 * len);
        }
        for (; d + len <= hd; d += len) {
            FloatVector a = FloatVector.fromArray(F, out, oa + d);
            for (int p = 0, v = d; p < n; p++, v += hd) a = FloatVector.fromArray(F, values, v).fma(FloatVector.broadcast(F, w[wa + p]), a);
            a.intoArray(out, oa + d);
        }
        for (; d < hd; d++) {
            float a = out[oa + d];
            for (int p = 0; p < n; p++) a = Math.fma(values[p * hd + d], w[wa + p], a);
            out[oa + d] = a;
        }
    }
}
