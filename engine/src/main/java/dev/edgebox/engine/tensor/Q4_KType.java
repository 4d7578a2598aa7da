package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.B_FOR_I;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K: super-blocks of 256 weights: fp16 d and dmin, 12 bytes of 6-bit sub-block scales and mins
 * ({@link KScales}), then 128 bytes of nibbles. Each 64 weights use 32 bytes: low nibbles are
 * sub-block 2i, high nibbles sub-block 2i+1. weight = d * sc * q - dmin * m.
 * Activations are Q8_K: the mins multiply the Q8_K sums per 16, as ggml does.
 */
final class Q4_KType implements TensorType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 144;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q4_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        int[] sc = new int[8], mn = new int[8];
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(SHORT, off));
            float min = Float.float16ToFloat(data.get(SHORT, off + 2));
            KScales.unpack(data, off + 4, sc, mn);
            int o = dstOffset + b * QK;
            for (int i = 0; i < 4; i++) {
                float d1 = d * sc[2 * i], m1 = min * mn[2 * i];
                float d2 = d * sc[2 * i + 1], m2 = min * mn[2 * i + 1];
                for (int l = 0; l < 32; l++) {
                    int q = data.get(BYTE, off + 16 + 32 * i + l) & 0xff;
                    dst[o + 64 * i + l] = d1 * (q & 0xf) - m1;
                    dst[o + 64 * i + 32 + l] = d2 * (q >> 4) - m2;
                }
            }
        }
    }

    /** quantize_row_q4_K_ref: make_qkx2_quants per 32 weights, then 6-bit scales and mins relative to their maxima. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        KScaleMinFit fit = new KScaleMinFit(15, -1f, 20);
        for (int b = 0; b < count / QK; b++) {
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            fit.fit(src, srcOffset + b * QK, dst, out);
            for (int i = 0; i < 4; i++) {
                for (int l = 0; l < 32; l++) {
                    dst.set(BYTE, out + 16 + 32 * i + l, (byte) (fit.L[64 * i + l] | (fit.L[64 * i + 32 + l] << 4)));
                }
            }
        }
    }

    @Override
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        int nb = cols / QK;
        long rowBytes = (long) nb * BLOCK_BYTES;
        for (int r = rowStart; r < rowEnd; r++) {
            int t = 0;
            for (; t + 4 <= nTok; t += 4) dot4(w, r * rowBytes, x, cols, t, nb, out, outOffset + t * outStride + r, outStride);
            for (; t < nTok; t++) out[outOffset + t * outStride + r] = dot(w, r * rowBytes, x, t * cols, t * nb, nb);
        }
    }

    /** The min term of one token for one super-block: sum over sub-blocks of min * (the two Q8_K sums of its 32 values). */
    private static int minSum(long mins, short[] bsums, int bs) {
        int summ = 0;
        for (int j = 0; j < 8; j++) summ += KScales.entry(mins, j) * (bsums[bs + 2 * j] + bsums[bs + 2 * j + 1]);
        return summ;
    }

    /** Four input rows (tokens t0..t0+3) against one weight row: the nibbles are unpacked once for all four. */
    static void dot4(MemorySegment w, long rowOff, Activations x, int cols, int t0, int nb, float[] out, int o, int outStride) {
        float[] xq = x.qf, xd = x.d;
        short[] bsums = x.bsums;
        int step = I.length();
        // Low and high nibbles go to separate accumulators, exactly as in dot(): a token's result must
        // not depend on whether it was computed alone or in a group of four.
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        FloatVector b0h = FloatVector.zero(F), b1h = FloatVector.zero(F), b2h = FloatVector.zero(F), b3h = FloatVector.zero(F);
        float m0 = 0, m1 = 0, m2 = 0, m3 = 0;
        int x0 = t0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int b0 = t0 * nb;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(w.get(SHORT, off)), dmin = Float.float16ToFloat(w.get(SHORT, off + 2));
            long scales = KScales.scales(w, off + 4), mins = KScales.mins(w, off + 4);
            m0 += dmin * xd[b0 + b] * minSum(mins, bsums, (b0 + b) * 16);
            m1 += dmin * xd[b0 + nb + b] * minSum(mins, bsums, (b0 + nb + b) * 16);
            m2 += dmin * xd[b0 + 2 * nb + b] * minSum(mins, bsums, (b0 + 2 * nb + b) * 16);
            m3 += dmin * xd[b0 + 3 * nb + b] * minSum(mins, bsums, (b0 + 3 * nb + b) * 16);
            float d0 = d * xd[b0 + b], d1 = d * xd[b0 + nb + b], d2 = d * xd[b0 + 2 * nb + b], d3 = d * xd[b0 + 3 * nb + b];
            int xo = b * QK;
            for (int i = 0; i < 4; i++) {
                FloatVector l0 = FloatVector.zero(F), l1 = FloatVector.zero(F), l2 = FloatVector.zero(F), l3 = FloatVector.zero(F);
                FloatVector h0 = FloatVector.zero(F), h1 = FloatVector.zero(F), h2 = FloatVector.zero(F), h3 = FloatVector.zero(F);
                for (int j = 0; j < 32; j += step) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 16 + 32 * i + j, LE)
                            .convertShape(VectorOperators.B2I, I, 0);
                    FloatVector lo = (FloatVector) v.and(0xf).convert(VectorOperators.I2F, 0);
                    FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0xf).convert(VectorOperators.I2F, 0);
                    int lj = xo + 64 * i + j, hj = lj + 32;
                    l0 = lo.fma(FloatVector.fromArray(F, xq, x0 + lj), l0);
                    h0 = hi.fma(FloatVector.fromArray(F, xq, x0 + hj), h0);
                    l1 = lo.fma(FloatVector.fromArray(F, xq, x1 + lj), l1);
                    h1 = hi.fma(FloatVector.fromArray(F, xq, x1 + hj), h1);
                    l2 = lo.fma(FloatVector.fromArray(F, xq, x2 + lj), l2);
                    h2 = hi.fma(FloatVector.fromArray(F, xq, x2 + hj), h2);
                    l3 = lo.fma(FloatVector.fromArray(F, xq, x3 + lj), l3);
                    h3 = hi.fma(FloatVector.fromArray(F, xq, x3 + hj), h3);
                }
                float scLo = KScales.entry(scales, 2 * i), scHi = KScales.entry(scales, 2 * i + 1);
                a0 = l0.fma(FloatVector.broadcast(F, d0 * scLo), a0);
                b0h = h0.fma(FloatVector.broadcast(F, d0 * scHi), b0h);
                a1 = l1.fma(FloatVector.broadcast(F, d1 * scLo), a1);
                b1h = h1.fma(FloatVector.broadcast(F, d1 * scHi), b1h);
                a2 = l2.fma(FloatVector.broadcast(F, d2 * scLo), a2);
                b2h = h2.fma(FloatVector.broadcast(F, d2 * scHi), b2h);
                a3 = l3.fma(FloatVector.broadcast(F, d3 * scLo), a3);
                b3h = h3.fma(FloatVector.broadcast(F, d3 * scHi), b3h);
            }
        }
        out[o] = Simd.sum(a0.add(b0h)) - m0;
        out[o + outStride] = Simd.sum(a1.add(b1h)) - m1;
        out[o + 2 * outStride] = Simd.sum(a2.add(b2h)) - m2;
        out[o + 3 * outStride] = Simd.sum(a3.add(b3h)) - m3;
    }

    static float dot(MemorySegment w, long rowOff, Activations x, int qOff, int bOff, int nb) {
        float[] xq = x.qf, xd = x.d;
        short[] bsums = x.bsums;
        int step = I.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            float dAll = Float.float16ToFloat(w.get(SHORT, off)) * xd[bOff + b];
            float dMin = Float.float16ToFloat(w.get(SHORT, off + 2)) * xd[bOff + b];
            long scales = KScales.scales(w, off + 4), minsPacked = KScales.mins(w, off + 4);
            int bs = (bOff + b) * 16, summ = 0;
            for (int j = 0; j < 8; j++) summ += KScales.entry(minsPacked, j) * (bsums[bs + 2 * j] + bsums[bs + 2 * j + 1]);
            mins += dMin * summ;
            for (int i = 0; i < 4; i++) {
                FloatVector sLo = FloatVector.zero(F), sHi = FloatVector.zero(F);
                for (int j = 0; j < 32; j += step) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 16 + 32 * i + j, LE)
                            .convertShape(VectorOperators.B2I, I, 0);
                    FloatVector lo = (FloatVector) v.and(0xf).convert(VectorOperators.I2F, 0);
                    FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0xf).convert(VectorOperators.I2F, 0);
                    sLo = lo.fma(FloatVector.fromArray(F, xq, xo + 64 * i + j), sLo);
                    sHi = hi.fma(FloatVector.fromArray(F, xq, xo + 64 * i + 32 + j), sHi);
                }
                acc0 = sLo.fma(FloatVector.broadcast(F, dAll * KScales.entry(scales, 2 * i)), acc0);
                acc1 = sHi.fma(FloatVector.broadcast(F, dAll * KScales.entry(scales, 2 * i + 1)), acc1);
            }
        }
        return Simd.sum(acc0.add(acc1)) - mins;
    }
}
