package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Q8_0: blocks of 32 int8 values with one fp16 scale (34 bytes). Activations are Q8_0-quantized as
 * in ggml; the kernels multiply decoded weights d * q with the activations' d * q in float lanes.
 */
final class Q8_0Type extends DecodingType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 34;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q8_0;
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
            for (int j = 0; j < QK; j++) dst[dstOffset + b * QK + j] = d * data.get(BYTE, off + 2 + j);
        }
    }

    /** ggml's quantize_row_q8_0_ref: d = amax / 127, q = roundf(x / d), half away from zero. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int b = 0; b < count / QK; b++) {
            int in = srcOffset + b * QK;
            float amax = 0;
            for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(src[in + j]));
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, Float.floatToFloat16(d));
            for (int j = 0; j < QK; j++) dst.set(BYTE, out + 2 + j, (byte) QuantFit.roundAway(src[in + j] * id));
        }
    }

    @Override
    float[] values(Activations x) {
        return x.dq;
    }

    private static FloatVector weights(MemorySegment w, long off, float d) {
        return Simd.bytesToFloats(w, off).mul(d);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /**
     * 512 bits. A method of its own: one body with both paths is too big
     * for the JIT to inline all the vector operations.
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        long end = rowOff + (long) (cols / QK) * BLOCK_BYTES;
        int xo = xOff;
        for (long off = rowOff; off < end; off += BLOCK_BYTES, xo += QK) {
            FloatVector d = Simd.halfScale(w, off);
            a0 = Simd.bytesToFloats(w, off + 2).mul(d).fma(FloatVector.fromArray(F, x, xo), a0);
            a1 = Simd.bytesToFloats(w, off + 18).mul(d).fma(FloatVector.fromArray(F, x, xo + 16), a1);
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
            FloatVector d = Simd.halfScale(w, off);
            a0 = Simd.bytesToFloats(w, off + 2).mul(d).fma(x0, a0);
            a1 = Simd.bytesToFloats(w, off + 18).mul(d).fma(x1, a1);
            FloatVector d2 = Simd.halfScale(w, off2);
            c0 = Simd.bytesToFloats(w, off2 + 2).mul(d2).fma(x0, c0);
            c1 = Simd.bytesToFloats(w, off2 + 18).mul(d2).fma(x1, c1);
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
            FloatVector d = Simd.halfScale(w, off);
            FloatVector lo = Simd.bytesToFloats(w, off + 2).mul(d), hi = Simd.bytesToFloats(w, off + 18).mul(d);
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
        int nb = cols / QK, step = F.length();
        float[] d = s.halfScales(w, rowOff, BLOCK_BYTES, nb);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES + 2;
            int xo = xOff + b * QK;
            float db = d[b];
            for (int j = 0; j < 16; j += step) {
                a0 = weights(w, off + j, db).fma(FloatVector.fromArray(F, x, xo + j), a0);
                a1 = weights(w, off + 16 + j, db).fma(FloatVector.fromArray(F, x, xo + 16 + j), a1);
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int nb = cols / QK, step = F.length();
        float[] d = s.halfScales(w, rowOff, BLOCK_BYTES, nb);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES + 2;
            for (int j = 0; j < QK; j += step) weights(w, off + j, d[b]).intoArray(dst, dstOff + b * QK + j);
        }
    }
}
