package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.INT;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0: blocks of 32 weights as fp16 scale d, a 32-bit word qh of fifth bits (bit j for element j)
 * and 16 bytes of low nibbles (element j low nibble of byte j, element j+16 high nibble);
 * weight = d * (q - 16). Activations are Q8_0; the kernels multiply decoded weights with their d * q.
 */
final class Q5_0Type extends DecodingType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 22;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q5_0;
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
            int qh = data.get(INT, off + 2);
            int o = dstOffset + b * QK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, off + 6 + j) & 0xff;
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[o + j] = (((q & 0x0f) | h0) - 16) * d;
                dst[o + j + 16] = (((q >> 4) | h1) - 16) * d;
            }
        }
    }

    /** quantize_row_q5_0_ref: d = max / -16 with max the signed value of largest magnitude. */
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
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, QuantFit.toHalf(d));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(31, (byte) (int) (src[in + j] * id + 16.5f)) & 0xff;
                int q1 = Math.min(31, (byte) (int) (src[in + 16 + j] * id + 16.5f)) & 0xff;
                dst.set(BYTE, out + 6 + j, (byte) ((q0 & 0x0f) | ((q1 & 0x0f) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(INT, out + 2, qh);
        }
    }

    @Override
    float[] values(Activations x) {
        return x.dq;
    }

    private static final long LANE_BITS = (1L << I.length()) - 1;

    /** Lanes of 4-bit values plus the fifth bits (lane k's bit at bit k of fifth), as (q - 16) * d by one FMA. */
    private static FloatVector decode(IntVector nibbles, long fifth, float d, float m16d) {
        IntVector q = nibbles.lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, fifth & LANE_BITS));
        return ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d, m16d);
    }

    /** As {@link #decode(IntVector, long, float, float)} with the scale in every lane. */
    private static FloatVector decode(IntVector nibbles, long fifth, FloatVector d, FloatVector m16d) {
        IntVector q = nibbles.lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, fifth & LANE_BITS));
        return ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d, m16d);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /**
     * 512 bits: one vector of bytes per block, no inner loop. A method of its own: one body with both paths is too big
     * for the JIT to inline all the vector operations.
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        long end = rowOff + (long) (cols / QK) * BLOCK_BYTES;
        int xo = xOff;
        for (long off = rowOff; off < end; off += BLOCK_BYTES, xo += QK) {
            FloatVector d = Simd.halfScale(w, off), m16d = d.mul(-16f);
            long qh = w.get(INT, off + 2) & 0xffffffffL;
            IntVector v = Simd.ubytesToInts(w, off + 6);
            a0 = decode(v.and(0xf), qh, d, m16d).fma(FloatVector.fromArray(F, x, xo), a0);
            a1 = decode(v.lanewise(VectorOperators.LSHR, 4), qh >>> 16, d, m16d).fma(FloatVector.fromArray(F, x, xo + 16), a1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    boolean hasDot2() {
        return true;
    }

    /**
     * Two rows (see {@link DecodingType#dot2}), each block decoded as in {@link #dot16}, the decode
     * written out: with two rows the loop is near the JIT's node budget, and a helper it does not
     * inline would box the vectors passed to it.
     */
    @Override
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        int nb = cols / QK;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + b * (long) BLOCK_BYTES, off2 = rowOff2 + b * (long) BLOCK_BYTES;
            FloatVector x0 = FloatVector.fromArray(F, x, b * QK), x1 = FloatVector.fromArray(F, x, b * QK + 16);
            FloatVector d = Simd.halfScale(w, off), m16d = d.mul(-16f);
            int qh = w.get(INT, off + 2);
            IntVector v = Simd.ubytesToInts(w, off + 6);
            IntVector q = v.lanewise(VectorOperators.AND, 0xf).lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, qh & 0xffff));
            a0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d, m16d).fma(x0, a0);
            q = v.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, qh >>> 16));
            a1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d, m16d).fma(x1, a1);
            FloatVector d2 = Simd.halfScale(w, off2), m16d2 = d2.mul(-16f);
            int qh2 = w.get(INT, off2 + 2);
            IntVector v2 = Simd.ubytesToInts(w, off2 + 6);
            q = v2.lanewise(VectorOperators.AND, 0xf).lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, qh2 & 0xffff));
            c0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d2, m16d2).fma(x0, c0);
            q = v2.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.OR, 0x10, VectorMask.fromLong(I, qh2 >>> 16));
            c1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(d2, m16d2).fma(x1, c1);
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
            FloatVector d = Simd.halfScale(w, off), m16d = d.mul(-16f);
            long qh = w.get(INT, off + 2) & 0xffffffffL;
            IntVector v = Simd.ubytesToInts(w, off + 6);
            FloatVector lo = decode(v.and(0xf), qh, d, m16d), hi = decode(v.lanewise(VectorOperators.LSHR, 4), qh >>> 16, d, m16d);
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
            long off = rowOff + (long) b * BLOCK_BYTES;
            long qh = w.get(INT, off + 2) & 0xffffffffL;
            int xo = xOff + b * QK;
            float db = d[b], m16d = -16 * db;
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.ubytesToInts(w, off + 6 + j);
                a0 = decode(v.and(0xf), qh >>> j, db, m16d).fma(FloatVector.fromArray(F, x, xo + j), a0);
                a1 = decode(v.lanewise(VectorOperators.LSHR, 4), qh >>> (16 + j), db, m16d).fma(FloatVector.fromArray(F, x, xo + 16 + j), a1);
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
            long off = rowOff + (long) b * BLOCK_BYTES;
            long qh = w.get(INT, off + 2) & 0xffffffffL;
            float db = d[b], m16d = -16 * db;
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.ubytesToInts(w, off + 6 + j);
                decode(v.and(0xf), qh >>> j, db, m16d).intoArray(dst, dstOff + b * QK + j);
                decode(v.lanewise(VectorOperators.LSHR, 4), qh >>> (16 + j), db, m16d).intoArray(dst, dstOff + b * QK + 16 + j);
            }
        }
    }
}
