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
 * Q5_K: as {@link Q4_KType} plus 32 bytes qh of fifth bits before the nibbles: for the i-th 64
 * weights, bit 2i of qh[l] tops the low nibble of byte l and bit 2i+1 the high one.
 * weight = d * sc * q - dmin * m, q in 0..31. Activations are Q8_K.
 */
final class Q5_KType implements TensorType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 176;
    private static final int QH = 16, QS = 48;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q5_K;
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
                    int q = data.get(BYTE, off + QS + 32 * i + l) & 0xff;
                    int h = data.get(BYTE, off + QH + l) & 0xff;
                    dst[o + 64 * i + l] = d1 * ((q & 0xf) + ((h >> (2 * i) & 1) != 0 ? 16 : 0)) - m1;
                    dst[o + 64 * i + 32 + l] = d2 * ((q >> 4) + ((h >> (2 * i + 1) & 1) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }

    /** quantize_row_q5_K_ref: as Q4_K with 5-bit quants (make_qkx2_quants over 16 steps from -0.5). */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        KScaleMinFit fit = new KScaleMinFit(31, -0.5f, 15);
        for (int b = 0; b < count / QK; b++) {
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            fit.fit(src, srcOffset + b * QK, dst, out);
            byte[] L = fit.L;
            int[] qh = new int[32];
            for (int i = 0; i < 4; i++) {
                for (int l = 0; l < 32; l++) {
                    int l1 = L[64 * i + l], l2 = L[64 * i + 32 + l];
                    if (l1 > 15) {
                        l1 -= 16;
                        qh[l] |= 1 << (2 * i);
                    }
                    if (l2 > 15) {
                        l2 -= 16;
                        qh[l] |= 2 << (2 * i);
                    }
                    dst.set(BYTE, out + QS + 32 * i + l, (byte) (l1 | (l2 << 4)));
                }
            }
            for (int l = 0; l < 32; l++) dst.set(BYTE, out + QH + l, (byte) qh[l]);
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

    /** Bit {@code bit} (0..7) of each lane moved to bit 4, all else cleared. */
    private static IntVector bitTo16(IntVector v, int bit) {
        return (bit <= 4 ? v.lanewise(VectorOperators.LSHL, 4 - bit) : v.lanewise(VectorOperators.LSHR, bit - 4)).and(0x10);
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
                    IntVector v = Simd.bytesToInts(w, off + QS + 32 * i + j);
                    IntVector h = Simd.bytesToInts(w, off + QH + j);
                    FloatVector lo = (FloatVector) v.and(0xf).or(bitTo16(h, 2 * i)).convert(VectorOperators.I2F, 0);
                    FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0xf).or(bitTo16(h, 2 * i + 1))
                            .convert(VectorOperators.I2F, 0);
                    sLo = lo.fma(FloatVector.fromArray(F, xq, xo + 64 * i + j), sLo);
                    sHi = hi.fma(FloatVector.fromArray(F, xq, xo + 64 * i + 32 + j), sHi);
                }
                acc0 = sLo.fma(FloatVector.broadcast(F, dAll * KScales.entry(scales, 2 * i)), acc0);
                acc1 = sHi.fma(FloatVector.broadcast(F, dAll * KScales.entry(scales, 2 * i + 1)), acc1);
            }
        }
        float[] lanes = Simd.lanes();
        acc0.add(acc1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes) - mins;
    }
}
