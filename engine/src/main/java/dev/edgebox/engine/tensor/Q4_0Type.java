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
 * Q4_0: blocks of 32 weights as an fp16 scale d and 16 bytes of 4-bit quants q (element j in the
 * low nibble of byte j, element j+16 in the high nibble); weight = d * (q - 8). Activations are
 * Q8_0-quantized as in ggml; the kernels multiply decoded weights with the activations' d * q.
 */
final class Q4_0Type extends DecodingType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 18;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q4_0;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(SHORT, off));
            int o = dstOffset + b * QK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, off + 2 + j) & 0xff;
                dst[o + j] = ((q & 0x0f) - 8) * d;
                dst[o + j + 16] = ((q >> 4) - 8) * d;
            }
        }
    }

    /** quantize_row_q4_0_ref: d = max / -8 with max the signed value of largest magnitude. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int b = 0; b < count / QK; b++) {
            int in = srcOffset + b * QK;
            float amax = 0, max = 0;
            for (int j = 0; j < QK; j++) {
                float v = src[in + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, QuantFit.toHalf(d));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) (src[in + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (src[in + 16 + j] * id + 8.5f));
                dst.set(BYTE, out + 2 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }

    @Override
    float[] values(Activations x) {
        return x.dq;
    }

    // (q - 8) * d as one FMA: q * d - 8d is exact before its single rounding, so it equals the product.
    private static FloatVector low(IntVector v, float d, float m8d) {
        return ((FloatVector) v.and(0xf).convert(VectorOperators.I2F, 0)).fma(d, m8d);
    }

    private static FloatVector high(IntVector v, float d, float m8d) {
        return ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d, m8d);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /** i - 8 for i = 0..15: times a block's scale, the block's 16 weight values (exact products). */
    private static final FloatVector LEVELS = FloatVector.fromArray(F, new float[] {-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}, 0);

    /**
     * 512 bits: per block, a table of its 16 possible weights d * (q - 8) (exact products), and each
     * nibble looks its weight up with one lane permute instead of a conversion and a multiply; the
     * scale comes from {@link Simd#halfScale}. A method of its own: one body with both
     * paths is too big for the JIT to inline all the vector operations.
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        long end = rowOff + (long) (cols / QK) * BLOCK_BYTES;
        int xo = xOff;
        for (long off = rowOff; off < end; off += BLOCK_BYTES, xo += QK) {
            IntVector table = Simd.halfScale(w, off).mul(LEVELS).reinterpretAsInts();
            IntVector v = Simd.ubytesToInts(w, off + 2);
            a0 = v.selectFrom(table).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
            a1 = v.lanewise(VectorOperators.LSHR, 4).selectFrom(table).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 16), a1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    boolean hasDot2() {
        return true;
    }

    /** Two rows (see {@link DecodingType#dot2}), each block decoded as in {@link #dot16}. */
    @Override
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        int nb = cols / QK;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + b * (long) BLOCK_BYTES, off2 = rowOff2 + b * (long) BLOCK_BYTES;
            FloatVector x0 = FloatVector.fromArray(F, x, b * QK), x1 = FloatVector.fromArray(F, x, b * QK + 16);
            IntVector table = Simd.halfScale(w, off).mul(LEVELS).reinterpretAsInts();
            IntVector v = Simd.ubytesToInts(w, off + 2);
            a0 = v.selectFrom(table).reinterpretAsFloats().fma(x0, a0);
            a1 = v.lanewise(VectorOperators.LSHR, 4).selectFrom(table).reinterpretAsFloats().fma(x1, a1);
            IntVector table2 = Simd.halfScale(w, off2).mul(LEVELS).reinterpretAsInts();
            IntVector v2 = Simd.ubytesToInts(w, off2 + 2);
            c0 = v2.selectFrom(table2).reinterpretAsFloats().fma(x0, c0);
            c1 = v2.lanewise(VectorOperators.LSHR, 4).selectFrom(table2).reinterpretAsFloats().fma(x1, c1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        c0.add(c1).intoArray(s.lanes, 16);
    }

    @Override
    boolean hasDot8() {
        return true;
    }

    /** Eight tokens (see {@link DecodingType#dot8}), each block decoded in registers as in {@link #dot16}. */
    @Override
    void dot8(MemorySegment w, long rowOff, int cols, float[] x8, int count, RowScratch s) {
        boolean four = count > 4;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        int nb = cols / QK;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + b * (long) BLOCK_BYTES;
            int i = b * 8 * QK;
            IntVector table = Simd.halfScale(w, off).mul(LEVELS).reinterpretAsInts();
            IntVector v = Simd.ubytesToInts(w, off + 2);
            FloatVector lo = v.selectFrom(table).reinterpretAsFloats();
            FloatVector hi = v.lanewise(VectorOperators.LSHR, 4).selectFrom(table).reinterpretAsFloats();
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
        float[] d = s.halfScales(w, rowOff, BLOCK_BYTES, nb);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES + 2;
            int xo = xOff + b * QK;
            float db = d[b], m8d = -8 * db;
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.ubytesToInts(w, off + j);
                a0 = low(v, db, m8d).fma(FloatVector.fromArray(F, x, xo + j), a0);
                a1 = high(v, db, m8d).fma(FloatVector.fromArray(F, x, xo + 16 + j), a1);
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] d = s.halfScales(w, rowOff, BLOCK_BYTES, nb);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES + 2;
            float db = d[b], m8d = -8 * db;
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.ubytesToInts(w, off + j);
                low(v, db, m8d).intoArray(dst, dstOff + b * QK + j);
                high(v, db, m8d).intoArray(dst, dstOff + b * QK + 16 + j);
            }
        }
    }
}
