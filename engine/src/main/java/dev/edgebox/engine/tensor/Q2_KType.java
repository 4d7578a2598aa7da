package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q2_K: super-blocks of 256 weights: 16 bytes of 4-bit scale (low) and min (high) per 16 weights,
 * 64 bytes qs of 2-bit quants, fp16 d and dmin. Weight e = 128n + 32j + l (l < 32) is bits
 * 2j..2j+1 of qs[32n + l]; its scale byte is number e / 16. weight = d * sc * q - dmin * m.
 * Activations are Q8_K; the mins multiply its sums per 16.
 */
final class Q2_KType implements TensorType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 84;
    private static final int QS = 16, D = 80, DMIN = 82;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q2_K;
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
            float min = Float.float16ToFloat(data.get(SHORT, off + DMIN));
            for (int g = 0; g < 16; g++) {
                int sc = data.get(BYTE, off + g) & 0xff;
                float dl = d * (sc & 0xf), ml = min * (sc >> 4);
                for (int k = 0; k < 16; k++) {
                    int e = 16 * g + k, n = e / 128, j = (e / 32) % 4, l = e % 32;
                    int q = ((data.get(BYTE, off + QS + 32 * n + l) & 0xff) >> (2 * j)) & 3;
                    dst[dstOffset + b * QK + e] = dl * q - ml;
                }
            }
        }
    }

    /** quantize_row_q2_K_ref: make_qkx2_quants (|x|-weighted, absolute error) per 16 weights, 4-bit scales and mins. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        byte[] L = new byte[QK];
        byte[] laux = new byte[16];
        float[] weights = new float[16];
        float[] mins = new float[16];
        float[] scales = new float[16];
        int[] packed = new int[16];
        final float q4scale = 15.f;
        for (int b = 0; b < count / QK; b++) {
            int x = srcOffset + b * QK;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            float maxScale = 0, maxMin = 0;
            for (int j = 0; j < 16; j++) {
                for (int l = 0; l < 16; l++) weights[l] = Math.abs(src[x + 16 * j + l]);
                scales[j] = QuantFit.makeQkx2(16, 3, src, x + 16 * j, weights, L, 16 * j, mins, j, laux, -0.5f, 0.1f, 15, true);
                if (scales[j] > maxScale) maxScale = scales[j];
                if (mins[j] > maxMin) maxMin = mins[j];
            }
            short dBits, dminBits;
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; j++) packed[j] = QuantFit.nearestInt(iscale * scales[j]) & 0xff;
                dBits = QuantFit.toHalf(maxScale / q4scale);
            } else {
                java.util.Arrays.fill(packed, 0);
                dBits = QuantFit.toHalf(0.f);
            }
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; j++) packed[j] = (packed[j] | (QuantFit.nearestInt(iscale * mins[j]) << 4)) & 0xff;
                dminBits = QuantFit.toHalf(maxMin / q4scale);
            } else {
                dminBits = QuantFit.toHalf(0.f);
            }
            dst.set(SHORT, out + D, dBits);
            dst.set(SHORT, out + DMIN, dminBits);
            for (int j = 0; j < 16; j++) dst.set(BYTE, out + j, (byte) packed[j]);
            float dStored = Float.float16ToFloat(dBits), dminStored = Float.float16ToFloat(dminBits);
            for (int j = 0; j < 16; j++) {
                float d = dStored * (packed[j] & 0xf);
                if (d == 0) continue;
                float dm = dminStored * (packed[j] >> 4);
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantFit.nearestInt((src[x + 16 * j + ii] + dm) / d);
                    L[16 * j + ii] = (byte) Math.max(0, Math.min(3, l));
                }
            }
            for (int n = 0; n < 2; n++) {
                int j = 128 * n;
                for (int l = 0; l < 32; l++) {
                    dst.set(BYTE, out + QS + 32 * n + l,
                            (byte) (L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6)));
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
        float[] xq = x.qf(), xd = x.d;
        short[] bsums = x.bsums;
        int step = I.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            float dAll = Float.float16ToFloat(w.get(SHORT, off + D)) * xd[bOff + b];
            float dMin = Float.float16ToFloat(w.get(SHORT, off + DMIN)) * xd[bOff + b];
            int bs = (bOff + b) * 16, summ = 0;
            for (int g = 0; g < 16; g++) summ += ((w.get(BYTE, off + g) & 0xff) >> 4) * bsums[bs + g];
            mins += dMin * summ;
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 4; j++) {
                    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                    for (int l = 0; l < 32; l += step) {
                        IntVector q = Simd.bytesToInts(w, off + QS + 32 * n + l);
                        FloatVector v = (FloatVector) q.lanewise(VectorOperators.LSHR, 2 * j).and(3).convert(VectorOperators.I2F, 0);
                        FloatVector xv = FloatVector.fromArray(F, xq, xo + 128 * n + 32 * j + l);
                        if (l < 16) s0 = v.fma(xv, s0);
                        else s1 = v.fma(xv, s1);
                    }
                    int g = 8 * n + 2 * j;
                    acc0 = s0.fma(FloatVector.broadcast(F, dAll * (w.get(BYTE, off + g) & 0xf)), acc0);
                    acc1 = s1.fma(FloatVector.broadcast(F, dAll * (w.get(BYTE, off + g + 1) & 0xf)), acc1);
                }
            }
        }
        float[] lanes = Simd.lanes();
        acc0.add(acc1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes) - mins;
    }
}
