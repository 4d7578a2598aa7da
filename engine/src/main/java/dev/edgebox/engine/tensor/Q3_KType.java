package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.INT;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q3_K: super-blocks of 256 weights: 32 bytes hmask of high bits, 64 bytes qs of 2-bit lows, 12
 * bytes of sixteen 6-bit scales (stored +32) and an fp16 d. Weight e = 128n + 32j + l (l < 32) is bits
 * 2j..2j+1 of qs[32n + l] plus 4 * bit (4n + j) of hmask[l]; its scale is number e / 16.
 * weight = d * (sc - 32) * (q - 4). Activations are Q8_K; the -4 goes through its sums per 16.
 */
final class Q3_KType implements TensorType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 110;
    private static final int QS = 32, SC = 96, D = 108;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q3_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    /**
     * The 16 scales of the block at off, still +32, as the bytes of two longs (scale j in bits
     * 8(j%8).. of the first long for j < 8, of the second for j >= 8): low nibbles from bytes 0-7,
     * top 2 bits from bytes 8-11, with three int loads and straight-line bit moves.
     */
    static long scalesLow(MemorySegment seg, long off) {
        int a = seg.get(INT, off + SC), b = seg.get(INT, off + SC + 4), c = seg.get(INT, off + SC + 8);
        int s0 = (a & 0x0f0f0f0f) | ((c & 0x03030303) << 4);
        int s1 = (b & 0x0f0f0f0f) | (((c >>> 2) & 0x03030303) << 4);
        return (s0 & 0xffffffffL) | ((long) s1 << 32);
    }

    /** Scales 8-15, packed as {@link #scalesLow}. */
    static long scalesHigh(MemorySegment seg, long off) {
        int a = seg.get(INT, off + SC), b = seg.get(INT, off + SC + 4), c = seg.get(INT, off + SC + 8);
        int s2 = ((a >>> 4) & 0x0f0f0f0f) | (((c >>> 4) & 0x03030303) << 4);
        int s3 = ((b >>> 4) & 0x0f0f0f0f) | (((c >>> 6) & 0x03030303) << 4);
        return (s2 & 0xffffffffL) | ((long) s3 << 32);
    }

    /** The 16 signed scales (already minus 32) of the block at off. */
    static void scales(MemorySegment seg, long off, int[] sc) {
        long low = scalesLow(seg, off), high = scalesHigh(seg, off);
        for (int j = 0; j < 8; j++) {
            sc[j] = (int) (low >>> (8 * j) & 0xff) - 32;
            sc[j + 8] = (int) (high >>> (8 * j) & 0xff) - 32;
        }
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        int[] sc = new int[16];
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float dAll = Float.float16ToFloat(data.get(SHORT, off + D));
            scales(data, off, sc);
            for (int e = 0; e < QK; e++) {
                int n = e / 128, j = (e / 32) % 4, l = e % 32;
                int q = ((data.get(BYTE, off + QS + 32 * n + l) & 0xff) >> (2 * j)) & 3;
                int h = ((data.get(BYTE, off + l) & 0xff) >> (4 * n + j)) & 1;
                dst[dstOffset + b * QK + e] = dAll * sc[e / 16] * (q - (h != 0 ? 0 : 4));
            }
        }
    }

    /** quantize_row_q3_K_ref: make_q3_quants (x^2-weighted descent) per 16 weights, 6-bit signed scales. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        byte[] L = new byte[QK];
        float[] scales = new float[16];
        byte[] packed = new byte[12];
        int[] sc = new int[16];
        for (int b = 0; b < count / QK; b++) {
            int x = srcOffset + b * QK;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            float maxScale = 0, amax = 0;
            for (int j = 0; j < 16; j++) {
                scales[j] = QuantFit.makeQ3(16, 4, src, x + 16 * j, L, 16 * j, true);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            java.util.Arrays.fill(packed, (byte) 0);
            short dBits;
            if (maxScale != 0) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < 16; j++) {
                    int l = (byte) QuantFit.nearestInt(iscale * scales[j]);
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) packed[j] = (byte) (l & 0xf);
                    else packed[j - 8] |= (byte) ((l & 0xf) << 4);
                    l >>= 4;
                    packed[j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
                }
                dBits = QuantFit.toHalf(1 / iscale);
            } else {
                dBits = QuantFit.toHalf(0f);
            }
            dst.set(SHORT, out + D, dBits);
            MemorySegment.copy(packed, 0, dst, BYTE, out + SC, 12);
            scales(dst, out, sc);
            float dStored = Float.float16ToFloat(dBits);
            for (int j = 0; j < 16; j++) {
                float d = dStored * sc[j];
                if (d == 0) continue;
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantFit.nearestInt(src[x + 16 * j + ii] / d);
                    L[16 * j + ii] = (byte) (Math.max(-4, Math.min(3, l)) + 4);
                }
            }
            byte[] hmask = new byte[32];
            int m = 0, hm = 1;
            for (int j = 0; j < QK; j++) {
                if (L[j] > 3) {
                    hmask[m] |= (byte) hm;
                    L[j] -= 4;
                }
                if (++m == 32) {
                    m = 0;
                    hm <<= 1;
                }
            }
            MemorySegment.copy(hmask, 0, dst, BYTE, out, 32);
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
        float offsets = 0;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            float dAll = Float.float16ToFloat(w.get(SHORT, off + D)) * xd[bOff + b];
            long lowScales = scalesLow(w, off), highScales = scalesHigh(w, off);
            int bs = (bOff + b) * 16, sumOff = 0;
            for (int g = 0; g < 8; g++) {
                sumOff += ((int) (lowScales >>> (8 * g) & 0xff) - 32) * bsums[bs + g];
                sumOff += ((int) (highScales >>> (8 * g) & 0xff) - 32) * bsums[bs + 8 + g];
            }
            offsets += dAll * (4 * sumOff);
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 4; j++) {
                    int hbit = 4 * n + j;
                    FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                    for (int l = 0; l < 32; l += step) {
                        IntVector q = Simd.bytesToInts(w, off + QS + 32 * n + l);
                        IntVector h = Simd.bytesToInts(w, off + l);
                        IntVector low = q.lanewise(VectorOperators.LSHR, 2 * j).and(3);
                        IntVector high = (hbit <= 2 ? h.lanewise(VectorOperators.LSHL, 2 - hbit) : h.lanewise(VectorOperators.LSHR, hbit - 2)).and(4);
                        FloatVector v = (FloatVector) low.or(high).convert(VectorOperators.I2F, 0);
                        FloatVector xv = FloatVector.fromArray(F, xq, xo + 128 * n + 32 * j + l);
                        if (l < 16) s0 = v.fma(xv, s0);
                        else s1 = v.fma(xv, s1);
                    }
                    long packed = n == 0 ? lowScales : highScales;
                    acc0 = s0.fma(FloatVector.broadcast(F, dAll * ((int) (packed >>> (16 * j) & 0xff) - 32)), acc0);
                    acc1 = s1.fma(FloatVector.broadcast(F, dAll * ((int) (packed >>> (16 * j + 8) & 0xff) - 32)), acc1);
                }
            }
        }
        float[] lanes = Simd.lanes();
        acc0.add(acc1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes) - offsets;
    }
}
