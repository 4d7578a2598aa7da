package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;

import jdk.incubator.vector.FloatVector;

/**
 * The two products of attention over a chunk of positions whose keys or values are floats: keys by
 * dimension in blocks of positions ({@link #keyDots}), values as position p's row of headDim floats
 * at p * headDim. Every result has the bits of the plain one-position loops (a query's dot with one
 * key: one fused multiply-add per dimension, in order; a value lane: one fused multiply-add per
 * position, in position order), so a token's attention does not depend on how positions, heads or
 * tokens are grouped around it.
 */
public final class AttentionKernels {
    private AttentionKernels() {}

    /** Positions per block of keys in {@link #keyDots}' layout: one 512-bit vector of scores. */
    public static final int KEY_BLOCK = 16;

    /**
     * scores[sOff + p] = q[qOff ..] . key p for p in [0, n), the keys by dimension in blocks of
     * {@link #KEY_BLOCK} positions (dimension d of position p at keys[(p / 16) * hd * 16 + d * 16 + p % 16];
     * lanes past n in the last block may hold anything). Each score is one fused multiply-add per
     * dimension in order, so a vector holds sixteen scores and none needs a sum across lanes (which
     * cost more than the multiply-adds: a head of 64 dimensions is only four vectors a key). Eight
     * blocks per pass keep eight chains of multiply-adds in flight.
     */
    public static void keyDots(float[] q, int qOff, float[] keys, int n, int hd, float[] scores, int sOff) {
        int blocks = Math.ceilDiv(n, KEY_BLOCK), stride = hd * KEY_BLOCK, b = 0;
        if (F.length() == KEY_BLOCK) {
            for (; b + 8 <= blocks; b += 8) eightBlocks(q, qOff, keys, b * stride, hd, scores, sOff + b * KEY_BLOCK, n - b * KEY_BLOCK);
        }
        for (; b < blocks; b++) {
            for (int j = 0; j < KEY_BLOCK; j += F.length()) {
                FloatVector acc = FloatVector.zero(F);
                for (int d = 0; d < hd; d++) {
                    acc = FloatVector.fromArray(F, keys, b * stride + j + d * KEY_BLOCK).fma(FloatVector.broadcast(F, q[qOff + d]), acc);
                }
                store(acc, scores, sOff + b * KEY_BLOCK + j, n - b * KEY_BLOCK - j);
            }
        }
    }

    /** Eight blocks from key offset k on (512 bits), scores from sOff on, of which the first {@code left} count. */
    private static void eightBlocks(float[] q, int qOff, float[] keys, int k, int hd, float[] scores, int sOff, int left) {
        int stride = hd * KEY_BLOCK;
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int d = 0; d < hd; d++) {
            // One induction variable: the JIT then checks the eight loads' bounds once, before the loop.
            int o = k + d * KEY_BLOCK;
            FloatVector qd = FloatVector.broadcast(F, q[qOff + d]);
            a0 = FloatVector.fromArray(F, keys, o).fma(qd, a0);
            a1 = FloatVector.fromArray(F, keys, o + stride).fma(qd, a1);
            a2 = FloatVector.fromArray(F, keys, o + 2 * stride).fma(qd, a2);
            a3 = FloatVector.fromArray(F, keys, o + 3 * stride).fma(qd, a3);
            a4 = FloatVector.fromArray(F, keys, o + 4 * stride).fma(qd, a4);
            a5 = FloatVector.fromArray(F, keys, o + 5 * stride).fma(qd, a5);
            a6 = FloatVector.fromArray(F, keys, o + 6 * stride).fma(qd, a6);
            a7 = FloatVector.fromArray(F, keys, o + 7 * stride).fma(qd, a7);
        }
        store(a0, scores, sOff, left);
        store(a1, scores, sOff + 16, left - 16);
        store(a2, scores, sOff + 32, left - 32);
        store(a3, scores, sOff + 48, left - 48);
        store(a4, scores, sOff + 64, left - 64);
        store(a5, scores, sOff + 80, left - 80);
        store(a6, scores, sOff + 96, left - 96);
        store(a7, scores, sOff + 112, left - 112);
    }

    /** The first {@code count} lanes of v (all of them if more) at scores[off ..]. */
    private static void store(FloatVector v, float[] scores, int off, int count) {
        if (count >= F.length()) v.intoArray(scores, off);
        else if (count > 0) v.intoArray(scores, off, F.indexInRange(0, count));
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
