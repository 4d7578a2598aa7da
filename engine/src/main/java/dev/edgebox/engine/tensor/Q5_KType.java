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
 * Q5_K: as {@link Q4_KType} plus 32 bytes qh of fifth bits before the nibbles: for the i-th 64
 * weights, bit 2i of qh[l] tops the low nibble of byte l and bit 2i+1 the high one.
 * weight = d * sc * q - dmin * m, q in 0..31. Activations are Q8_K; the kernels multiply decoded
 * weights with their d * q, as for Q4_K.
 */
final class Q5_KType extends DecodingType {
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
    float[] values(Activations x) {
        return x.dq;
    }

    /** As Q4_K's (the header is the same). */
    @Override
    void prepare(MemorySegment w, long rowOff, int cols, RowScratch s, int slot) {
        KScales.rowFactors(w, rowOff, cols, BLOCK_BYTES, s, slot);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /**
     * 512 bits, one flat loop over the 64-weight chunks as Q4_K's (a loop inside a loop over
     * super-blocks made the JIT redo its bounds-check set-up every four chunks). Chunk i of a
     * super-block takes its fifth bits from the block's 32 qh bytes shifted right by 2i: bit 0 for
     * the low nibbles, bit 1 for the high ones. One row a call: two rows' decode would pass the JIT's node budget.
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        float[] f = s.factors; // from prepare
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        long q = rowOff + QS, h = rowOff + QH;
        for (int c = 0; c < cols / 64; c++) {
            int i = c & 3, xo = xOff + 64 * c, fo = 16 * (c >> 2) + 2 * i;
            IntVector v0 = Simd.ubytesToInts(w, q), v1 = Simd.ubytesToInts(w, q + 16);
            IntVector h0 = Simd.ubytesToInts(w, h).lanewise(VectorOperators.LSHR, 2 * i);
            IntVector h1 = Simd.ubytesToInts(w, h + 16).lanewise(VectorOperators.LSHR, 2 * i);
            float la = f[fo], lb = f[fo + 8], ha = f[fo + 1], hb = f[fo + 9];
            IntVector v = v0.and(0xf).or(h0.lanewise(VectorOperators.LSHL, 4).and(0x10));
            a0 = ((FloatVector) v.convert(VectorOperators.I2F, 0)).fma(la, lb).fma(FloatVector.fromArray(F, x, xo), a0);
            v = v1.and(0xf).or(h1.lanewise(VectorOperators.LSHL, 4).and(0x10));
            a1 = ((FloatVector) v.convert(VectorOperators.I2F, 0)).fma(la, lb).fma(FloatVector.fromArray(F, x, xo + 16), a1);
            v = v0.lanewise(VectorOperators.LSHR, 4).or(h0.lanewise(VectorOperators.LSHL, 3).and(0x10));
            a0 = ((FloatVector) v.convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(FloatVector.fromArray(F, x, xo + 32), a0);
            v = v1.lanewise(VectorOperators.LSHR, 4).or(h1.lanewise(VectorOperators.LSHL, 3).and(0x10));
            a1 = ((FloatVector) v.convert(VectorOperators.I2F, 0)).fma(ha, hb).fma(FloatVector.fromArray(F, x, xo + 48), a1);
            boolean last = i == 3; // the next chunk is the next super-block's first
            q += last ? 32 + QS : 32;
            h += last ? BLOCK_BYTES : 0;
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    /** The nibble bytes of lanes l .. l + I.length() of chunk i, and (fifths) the qh bytes that top them. */
    private static IntVector nibbles(MemorySegment w, long off, int i, int l) {
        return Simd.ubytesToInts(w, off + QS + 32 * i + l);
    }

    private static IntVector fifths(MemorySegment w, long off, int l) {
        return Simd.ubytesToInts(w, off + QH + l);
    }

    private static float dotAnyWidth(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            Q4_KType.factors(w, off, s);
            for (int i = 0; i < 4; i++) {
                int xo = xOff + b * QK + 64 * i;
                for (int j = 0; j < 16; j += step) {
                    a0 = decoded(nibbles(w, off, i, j), fifths(w, off, j), i, false, sa, sb).fma(FloatVector.fromArray(F, x, xo + j), a0);
                    a1 = decoded(nibbles(w, off, i, 16 + j), fifths(w, off, 16 + j), i, false, sa, sb).fma(FloatVector.fromArray(F, x, xo + 16 + j), a1);
                }
                for (int j = 0; j < 16; j += step) {
                    a0 = decoded(nibbles(w, off, i, j), fifths(w, off, j), i, true, sa, sb).fma(FloatVector.fromArray(F, x, xo + 32 + j), a0);
                    a1 = decoded(nibbles(w, off, i, 16 + j), fifths(w, off, 16 + j), i, true, sa, sb).fma(FloatVector.fromArray(F, x, xo + 48 + j), a1);
                }
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    /**
     * Nibble bytes v of chunk i with their qh bytes h decoded, the low nibbles or the high ones: q * a + b
     * by one FMA (exact before its single rounding, as in dot16).
     */
    private static FloatVector decoded(IntVector v, IntVector h, int i, boolean high, float[] sa, float[] sb) {
        int j = 2 * i + (high ? 1 : 0);
        IntVector q = (high ? v.lanewise(VectorOperators.LSHR, 4) : v.and(0xf))
                .or(h.lanewise(VectorOperators.LSHR, j).lanewise(VectorOperators.LSHL, 4).and(0x10));
        return ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(sa[j], sb[j]);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            Q4_KType.factors(w, off, s);
            for (int i = 0; i < 4; i++) {
                int o = dstOff + b * QK + 64 * i;
                for (int l = 0; l < 32; l += step) {
                    IntVector v = nibbles(w, off, i, l), h = fifths(w, off, l);
                    decoded(v, h, i, false, sa, sb).intoArray(dst, o + l);
                    decoded(v, h, i, true, sa, sb).intoArray(dst, o + 32 + l);
                }
            }
        }
    }
}
