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
            // The scale from a broadcast int (see Simd): no scalar conversion and no broadcast shuffles.
            FloatVector d = Simd.halfTimes2PowMinus112(w, off).mul(Simd.TIMES_2_POW_112);
            a0 = Simd.bytesToFloats(w, off + 2).mul(d).fma(FloatVector.fromArray(F, x, xo), a0);
            a1 = Simd.bytesToFloats(w, off + 18).mul(d).fma(FloatVector.fromArray(F, x, xo + 16), a1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
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
