package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;
import static dev.edgebox.engine.tensor.Simd.S_FOR_I;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * IEEE half floats. The Vector API has no fp16 conversion, so the kernel converts in registers:
 * the half's exponent and mantissa moved up 13 bits form a float 2^112 times too small, and one
 * multiply by 2^112 fixes it. That is exact for every normal and subnormal half (the product is a
 * normal float, no rounding happens). Inf and NaN would come out as large finite numbers; weight
 * files never hold them, and {@link #dequantize} (scalar, exact for everything) is what loaders use
 * to inspect values.
 */
final class F16Type extends DecodingType {
    private static final float TWO_POW_112 = 0x1p112f;

    @Override
    public GgmlType ggml() {
        return GgmlType.F16;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F16;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) dst[dstOffset + i] = Float.float16ToFloat(data.get(SHORT, (firstElement + i) * 2));
    }

    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int i = 0; i < count; i++) dst.set(SHORT, dstByteOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
    }

    @Override
    float[] values(Activations x) {
        return x.f;
    }

    @Override
    float[] dotValues(Activations x) {
        return x.halvesTimes2Pow112();
    }

    /** Weights as floats 2^112 times too small ({@link #tiny}). */
    private static FloatVector tinyWeights(MemorySegment w, long off) {
        return tiny((IntVector) ShortVector.fromMemorySegment(S_FOR_I, w, off, LE).convertShape(VectorOperators.S2I, I, 0));
    }

    private static FloatVector weights(MemorySegment w, long off) {
        return tinyWeights(w, off).mul(TWO_POW_112);
    }

    /** One token: x times 2^112 ({@link #dotValues}), so the weights skip the multiply by 2^112. */
    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + FloatDot.GROUP <= cols; i += FloatDot.GROUP) {
            for (int j = 0; j < FloatDot.HALF; j += step) {
                a0 = tinyWeights(w, rowOff + (i + j) * 2L).fma(FloatVector.fromArray(F, x, xOff + i + j), a0);
                a1 = tinyWeights(w, rowOff + (i + FloatDot.HALF + j) * 2L).fma(FloatVector.fromArray(F, x, xOff + i + FloatDot.HALF + j), a1);
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        float sum = Simd.sumLanes(s.lanes);
        // The weight times 2^-112 is exact (an fp16 value is a multiple of 2^-24).
        for (; i < cols; i++) sum += Float.float16ToFloat(w.get(SHORT, rowOff + i * 2L)) * 0x1p-112f * x[xOff + i];
        return sum;
    }

    @Override
    boolean hasDot2() {
        return true;
    }

    /** Two rows (see {@link DecodingType#dot2}), converted as in {@link #dot}; whole groups only (512 bits). */
    @Override
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        for (int i = 0; i < cols; i += FloatDot.GROUP) {
            FloatVector x0 = FloatVector.fromArray(F, x, i), x1 = FloatVector.fromArray(F, x, i + FloatDot.HALF);
            a0 = tinyWeights(w, rowOff + i * 2L).fma(x0, a0);
            a1 = tinyWeights(w, rowOff + (i + FloatDot.HALF) * 2L).fma(x1, a1);
            c0 = tinyWeights(w, rowOff2 + i * 2L).fma(x0, c0);
            c1 = tinyWeights(w, rowOff2 + (i + FloatDot.HALF) * 2L).fma(x1, c1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        c0.add(c1).intoArray(s.lanes, 16);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int step = F.length();
        int i = 0;
        for (; i + FloatDot.GROUP <= cols; i += FloatDot.GROUP) {
            for (int j = 0; j < FloatDot.GROUP; j += step) weights(w, rowOff + (i + j) * 2L).intoArray(dst, dstOff + i + j);
        }
        for (; i < cols; i++) dst[dstOff + i] = Float.float16ToFloat(w.get(SHORT, rowOff + i * 2L));
    }

    /**
     * Lanes of half bits (sign-extended to int) to floats 2^112 times too small, exactly: sign |
     * exponent+mantissa << 13 (a multiply by 2^112 gives the values).
     */
    private static FloatVector tiny(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats();
    }
}
