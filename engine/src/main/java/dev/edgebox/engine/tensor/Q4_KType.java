package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K: super-blocks of 256 weights: fp16 d and dmin, 12 bytes of 6-bit sub-block scales and mins
 * ({@link KScales}), then 128 bytes of nibbles. Each 64 weights use 32 bytes: low nibbles are
 * sub-block 2i, high nibbles sub-block 2i+1. weight = d * sc * q - dmin * m.
 * Activations are Q8_K; the kernels multiply decoded weights with their d * q.
 */
final class Q4_KType extends DecodingType {
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
    float[] values(Activations x) {
        return x.dq;
    }

    /** The factors of one super-block's 8 sub-blocks: weight = q * a[j] + b[j], a = d * sc, b = -(dmin * m). Q5_K has the same header. */
    static void factors(MemorySegment w, long off, RowScratch s) {
        float d = Float.float16ToFloat(w.get(SHORT, off)), dmin = Float.float16ToFloat(w.get(SHORT, off + 2));
        long scales = KScales.scales(w, off + 4), mins = KScales.mins(w, off + 4);
        for (int j = 0; j < 8; j++) {
            s.subA[j] = d * KScales.entry(scales, j);
            s.subB[j] = -(dmin * KScales.entry(mins, j));
        }
    }

    private static FloatVector low(IntVector v, float a, float b) {
        return ((FloatVector) v.and(0xf).convert(VectorOperators.I2F, 0)).fma(a, b);
    }

    private static FloatVector high(IntVector v, float a, float b) {
        return ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(a, b);
    }

    /** The row's factors, by {@link KScales#rowFactors}. */
    @Override
    void prepare(MemorySegment w, long rowOff, int cols, RowScratch s, int slot) {
        KScales.rowFactors(w, rowOff, cols, BLOCK_BYTES, s, slot);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /**
     * 512 bits: one vector per half of a sub-block, each 16 bytes loaded once. A method of its own: one body with both paths is too big
     * for the JIT to inline all the vector operations. One flat loop over the 64-weight chunks (see {@link #dot2}).
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        float[] f = s.factors; // from prepare
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        long q = rowOff + 16;
        for (int c = 0; c < cols / 64; c++) {
            int xo = xOff + 64 * c, fo = 16 * (c >> 2) + 2 * (c & 3);
            IntVector v0 = Simd.ubytesToInts(w, q), v1 = Simd.ubytesToInts(w, q + 16);
            float la = f[fo], lb = f[fo + 8], ha = f[fo + 1], hb = f[fo + 9];
            a0 = low(v0, la, lb).fma(FloatVector.fromArray(F, x, xo), a0);
            a1 = low(v1, la, lb).fma(FloatVector.fromArray(F, x, xo + 16), a1);
            a0 = high(v0, ha, hb).fma(FloatVector.fromArray(F, x, xo + 32), a0);
            a1 = high(v1, ha, hb).fma(FloatVector.fromArray(F, x, xo + 48), a1);
            q += (c & 3) == 3 ? 48 : 32;
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    boolean hasDot2() {
        return true;
    }

    /**
     * Two rows (see {@link DecodingType#dot2}), each decoded as in {@link #dot16}, with the factors of
     * {@link #prepare}'s slots 0 and 1; the decode written out, as helpers the JIT might
     * not inline here would box their vectors. One flat loop over the 64-weight chunks (32 bytes of
     * nibbles each) whose byte offset steps 32, and 48 past each super-block's header: a loop over
     * super-blocks around a loop over their four chunks made the JIT set up its bounds-check
     * elimination for the segment reads anew for every four chunks (clamp computations and spills
     * in the machine code), and this loop ran 1.3x faster streamed from the mapped file, 1.5x in cache.
     */
    @Override
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        int chunks = cols / 64, second = 4 * chunks;
        float[] f = s.factors;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        long q = rowOff + 16, q2 = rowOff2 + 16;
        for (int c = 0; c < chunks; c++) {
            int xo = 64 * c, fo = 16 * (c >> 2) + 2 * (c & 3);
            FloatVector x0 = FloatVector.fromArray(F, x, xo), x1 = FloatVector.fromArray(F, x, xo + 16);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 32), x3 = FloatVector.fromArray(F, x, xo + 48);
            IntVector v0 = Simd.ubytesToInts(w, q), v1 = Simd.ubytesToInts(w, q + 16);
            float la = f[fo], lb = f[fo + 8], ha = f[fo + 1], hb = f[fo + 9];
            a0 = ((FloatVector) v0.and(0xf).convert(VectorOperators.I2F, 0)).fma(la, lb).fma(x0, a0);
            a1 = ((FloatVector) v1.and(0xf).convert(VectorOperators.I2F, 0)).fma(la, lb).fma(x1, a1);
            a0 = ((FloatVector) v0.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(x2, a0);
            a1 = ((FloatVector) v1.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(x3, a1);
            v0 = Simd.ubytesToInts(w, q2);
            v1 = Simd.ubytesToInts(w, q2 + 16);
            la = f[second + fo];
            lb = f[second + fo + 8];
            ha = f[second + fo + 1];
            hb = f[second + fo + 9];
            c0 = ((FloatVector) v0.and(0xf).convert(VectorOperators.I2F, 0)).fma(la, lb).fma(x0, c0);
            c1 = ((FloatVector) v1.and(0xf).convert(VectorOperators.I2F, 0)).fma(la, lb).fma(x1, c1);
            c0 = ((FloatVector) v0.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(x2, c0);
            c1 = ((FloatVector) v1.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(x3, c1);
            int step = (c & 3) == 3 ? 48 : 32;
            q += step;
            q2 += step;
        }
        a0.add(a1).intoArray(s.lanes, 0);
        c0.add(c1).intoArray(s.lanes, 16);
    }

    @Override
    boolean hasDot8() {
        return true;
    }

    /** Eight tokens (see {@link DecodingType#dot8}), each 32-element group decoded in registers as in {@link #dot16}. */
    @Override
    void dot8(MemorySegment w, long rowOff, int cols, float[] x8, int count, RowScratch s) {
        boolean four = count > 4;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        float[] f = s.factors; // from prepare
        int groups = cols / 32;
        for (int g = 0; g < groups; g++) {
            // Group g is sub-block j of super-block b: the low (j even) or high nibbles of 32 bytes.
            int b = g >> 3, j = g & 7, shift = 4 * (j & 1);
            long q = rowOff + (long) b * BLOCK_BYTES + 16 + 32 * (j >> 1);
            int i = 256 * g;
            float fa = f[16 * b + j], fb = f[16 * b + 8 + j];
            IntVector v0 = Simd.ubytesToInts(w, q), v1 = Simd.ubytesToInts(w, q + 16);
            FloatVector lo = ((FloatVector) v0.lanewise(VectorOperators.LSHR, shift).and(0xf).convert(VectorOperators.I2F, 0)).fma(fa, fb);
            FloatVector hi = ((FloatVector) v1.lanewise(VectorOperators.LSHR, shift).and(0xf).convert(VectorOperators.I2F, 0)).fma(fa, fb);
            a0 = lo.fma(FloatVector.fromArray(F, x8, i), a0);
            b0 = hi.fma(FloatVector.fromArray(F, x8, i + 16), b0);
            a1 = lo.fma(FloatVector.fromArray(F, x8, i + 32), a1);
            b1 = hi.fma(FloatVector.fromArray(F, x8, i + 48), b1);
            a2 = lo.fma(FloatVector.fromArray(F, x8, i + 64), a2);
            b2 = hi.fma(FloatVector.fromArray(F, x8, i + 80), b2);
            a3 = lo.fma(FloatVector.fromArray(F, x8, i + 96), a3);
            b3 = hi.fma(FloatVector.fromArray(F, x8, i + 112), b3);
            if (!four) continue; // a branch the CPU predicts: counts up to four skip the second half
            a4 = lo.fma(FloatVector.fromArray(F, x8, i + 128), a4);
            b4 = hi.fma(FloatVector.fromArray(F, x8, i + 144), b4);
            a5 = lo.fma(FloatVector.fromArray(F, x8, i + 160), a5);
            b5 = hi.fma(FloatVector.fromArray(F, x8, i + 176), b5);
            a6 = lo.fma(FloatVector.fromArray(F, x8, i + 192), a6);
            b6 = hi.fma(FloatVector.fromArray(F, x8, i + 208), b6);
            a7 = lo.fma(FloatVector.fromArray(F, x8, i + 224), a7);
            b7 = hi.fma(FloatVector.fromArray(F, x8, i + 240), b7);
        }
        float[] v = s.lanes;
        a0.add(b0).intoArray(v, 0);
        a1.add(b1).intoArray(v, 16);
        a2.add(b2).intoArray(v, 32);
        a3.add(b3).intoArray(v, 48);
        a4.add(b4).intoArray(v, 64);
        a5.add(b5).intoArray(v, 80);
        a6.add(b6).intoArray(v, 96);
        a7.add(b7).intoArray(v, 112);
    }

    private static float dotAnyWidth(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            factors(w, off, s);
            for (int i = 0; i < 4; i++) {
                long q = off + 16 + 32 * i;
                int xo = xOff + b * QK + 64 * i;
                // Sub-block 2i is the low nibbles of these 32 bytes, sub-block 2i+1 the high ones.
                for (int j = 0; j < 16; j += step) {
                    a0 = low(Simd.ubytesToInts(w, q + j), sa[2 * i], sb[2 * i]).fma(FloatVector.fromArray(F, x, xo + j), a0);
                    a1 = low(Simd.ubytesToInts(w, q + 16 + j), sa[2 * i], sb[2 * i]).fma(FloatVector.fromArray(F, x, xo + 16 + j), a1);
                }
                for (int j = 0; j < 16; j += step) {
                    a0 = high(Simd.ubytesToInts(w, q + j), sa[2 * i + 1], sb[2 * i + 1]).fma(FloatVector.fromArray(F, x, xo + 32 + j), a0);
                    a1 = high(Simd.ubytesToInts(w, q + 16 + j), sa[2 * i + 1], sb[2 * i + 1]).fma(FloatVector.fromArray(F, x, xo + 48 + j), a1);
                }
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            factors(w, off, s);
            for (int i = 0; i < 4; i++) {
                long q = off + 16 + 32 * i;
                int o = b * QK + 64 * i;
                for (int j = 0; j < 32; j += step) {
                    IntVector v = Simd.ubytesToInts(w, q + j);
                    low(v, sa[2 * i], sb[2 * i]).intoArray(dst, dstOff + o + j);
                    high(v, sa[2 * i + 1], sb[2 * i + 1]).intoArray(dst, dstOff + o + 32 + j);
                }
            }
        }
    }
}
