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
 * Q6_K: super-blocks of 256 weights: 128 bytes ql of low nibbles, 64 bytes qh of 2-bit tops, 16
 * signed 8-bit scales (one per 16 weights) and an fp16 d. Each half of 128 weights uses 64 ql bytes
 * and 32 qh bytes: for l < 32, weights l, l+32, l+64, l+96 are the low nibble of ql[l], of ql[l+32],
 * the high nibble of ql[l], of ql[l+32], topped by bits 0-1, 2-3, 4-5, 6-7 of qh[l].
 * weight = d * sc * (q - 32). Activations are Q8_K; the -32 goes through its sums per 16.
 */
final class Q6_KType implements TensorType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 210;
    private static final int QH = 128, SC = 192, D = 208;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q6_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(SHORT, off + D));
            for (int n = 0; n < 2; n++) {
                int o = dstOffset + b * QK + 128 * n;
                for (int l = 0; l < 32; l++) {
                    int is = 8 * n + l / 16;
                    int a = data.get(BYTE, off + 64 * n + l) & 0xff;
                    int c = data.get(BYTE, off + 64 * n + 32 + l) & 0xff;
                    int h = data.get(BYTE, off + QH + 32 * n + l) & 0xff;
                    dst[o + l] = d * data.get(BYTE, off + SC + is) * (((a & 0xf) | ((h & 3) << 4)) - 32);
                    dst[o + l + 32] = d * data.get(BYTE, off + SC + is + 2) * (((c & 0xf) | (((h >> 2) & 3) << 4)) - 32);
                    dst[o + l + 64] = d * data.get(BYTE, off + SC + is + 4) * (((a >> 4) | (((h >> 4) & 3) << 4)) - 32);
                    dst[o + l + 96] = d * data.get(BYTE, off + SC + is + 6) * (((c >> 4) | (((h >> 6) & 3) << 4)) - 32);
                }
            }
        }
    }

    /** quantize_row_q6_K_ref: make_qx_quants (x^2-weighted) per 16 weights, scales as int8 against the largest. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        byte[] L = new byte[QK];
        float[] scales = new float[16];
        for (int b = 0; b < count / QK; b++) {
            int x = srcOffset + b * QK;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            float maxScale = 0, maxAbsScale = 0;
            for (int ib = 0; ib < 16; ib++) {
                float scale = QuantFit.makeQx(16, 32, src, x + 16 * ib, L, 16 * ib, 1);
                scales[ib] = scale;
                if (Math.abs(scale) > maxAbsScale) {
                    maxAbsScale = Math.abs(scale);
                    maxScale = scale;
                }
            }
            if (maxAbsScale < QuantFit.GROUP_MAX_EPS) {
                dst.asSlice(out, BLOCK_BYTES).fill((byte) 0);
                continue;
            }
            float iscale = -128.f / maxScale;
            short dBits = QuantFit.toHalf(1 / iscale);
            dst.set(SHORT, out + D, dBits);
            for (int ib = 0; ib < 16; ib++) dst.set(BYTE, out + SC + ib, (byte) Math.min(127, QuantFit.nearestInt(iscale * scales[ib])));
            float dStored = Float.float16ToFloat(dBits);
            for (int j = 0; j < 16; j++) {
                float d = dStored * dst.get(BYTE, out + SC + j);
                if (d == 0) continue;
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantFit.nearestInt(src[x + 16 * j + ii] / d);
                    L[16 * j + ii] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
                }
            }
            for (int n = 0; n < 2; n++) {
                int j = 128 * n;
                for (int l = 0; l < 32; l++) {
                    int q1 = L[j + l] & 0xf, q2 = L[j + l + 32] & 0xf, q3 = L[j + l + 64] & 0xf, q4 = L[j + l + 96] & 0xf;
                    dst.set(BYTE, out + 64 * n + l, (byte) (q1 | (q3 << 4)));
                    dst.set(BYTE, out + 64 * n + 32 + l, (byte) (q2 | (q4 << 4)));
                    dst.set(BYTE, out + QH + 32 * n + l, (byte) ((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2)
                            | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6)));
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
            for (int t = 0; t < nTok; t++) {
                out[outOffset + t * outStride + r] = dot(w, r * rowBytes, x, t * cols, t * nb, nb);
            }
        }
    }

    static float dot(MemorySegment w, long rowOff, Activations x, int qOff, int bOff, int nb) {
        float[] xq = x.qf, xd = x.d;
        short[] bsums = x.bsums;
        int step = I.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        float offsets = 0;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            float dAll = Float.float16ToFloat(w.get(SHORT, off + D)) * xd[bOff + b];
            int bs = (bOff + b) * 16, sumOff = 0;
            for (int g = 0; g < 16; g++) sumOff += w.get(BYTE, off + SC + g) * bsums[bs + g];
            offsets += dAll * (32 * sumOff);
            for (int n = 0; n < 2; n++) {
                long ql = off + 64 * n, qh = off + QH + 32 * n;
                int xn = xo + 128 * n;
                for (int g = 0; g < 2; g++) {
                    FloatVector s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F), s4 = FloatVector.zero(F);
                    for (int l = 16 * g; l < 16 * g + 16; l += step) {
                        IntVector a = (IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, ql + l, LE).convertShape(VectorOperators.B2I, I, 0);
                        IntVector c = (IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, ql + 32 + l, LE).convertShape(VectorOperators.B2I, I, 0);
                        IntVector h = (IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, qh + l, LE).convertShape(VectorOperators.B2I, I, 0);
                        IntVector q1 = a.and(0xf).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30));
                        IntVector q2 = c.and(0xf).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30));
                        IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).and(0xf).or(h.and(0x30));
                        IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).and(0xf).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30));
                        s1 = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xn + l), s1);
                        s2 = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xn + 32 + l), s2);
                        s3 = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xn + 64 + l), s3);
                        s4 = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xn + 96 + l), s4);
                    }
                    int is = 8 * n + g;
                    acc0 = s1.fma(FloatVector.broadcast(F, dAll * w.get(BYTE, off + SC + is)), acc0);
                    acc1 = s2.fma(FloatVector.broadcast(F, dAll * w.get(BYTE, off + SC + is + 2)), acc1);
                    acc0 = s3.fma(FloatVector.broadcast(F, dAll * w.get(BYTE, off + SC + is + 4)), acc0);
                    acc1 = s4.fma(FloatVector.broadcast(F, dAll * w.get(BYTE, off + SC + is + 6)), acc1);
                }
            }
        }
        return Simd.sum(acc0.add(acc1)) - offsets;
    }
}
