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

/** bfloat16: the top half of a float, so widening is a 16-bit shift in registers. */
final class Bf16Type extends DecodingType {

    @Override
    public GgmlType ggml() {
        return GgmlType.BF16;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.BF16;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) dst[dstOffset + i] = Bf16.toFloat(data.get(SHORT, (firstElement + i) * 2));
    }

    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int i = 0; i < count; i++) dst.set(SHORT, dstByteOffset + 2L * i, Bf16.fromFloat(src[srcOffset + i]));
    }

    @Override
    float[] values(Activations x) {
        return x.f;
    }

    private static FloatVector weights(MemorySegment w, long off) {
        return ((IntVector) ShortVector.fromMemorySegment(S_FOR_I, w, off, LE).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + FloatDot.GROUP <= cols; i += FloatDot.GROUP) {
            for (int j = 0; j < FloatDot.HALF; j += step) {
                a0 = weights(w, rowOff + (i + j) * 2L).fma(FloatVector.fromArray(F, x, xOff + i + j), a0);
                a1 = weights(w, rowOff + (i + FloatDot.HALF + j) * 2L).fma(FloatVector.fromArray(F, x, xOff + i + FloatDot.HALF + j), a1);
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        float sum = Simd.sumLanes(s.lanes);
        for (; i < cols; i++) sum += Bf16.toFloat(w.get(SHORT, rowOff + i * 2L)) * x[xOff + i];
        return sum;
    }

    @Override
    boolean hasDot2() {
        return true;
    }

    /** Two rows (see {@link DecodingType#dot2}), as in {@link #dot}; whole groups only (512 bits). */
    @Override
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        for (int i = 0; i < cols; i += FloatDot.GROUP) {
            FloatVector x0 = FloatVector.fromArray(F, x, i), x1 = FloatVector.fromArray(F, x, i + FloatDot.HALF);
            a0 = weights(w, rowOff + i * 2L).fma(x0, a0);
            a1 = weights(w, rowOff + (i + FloatDot.HALF) * 2L).fma(x1, a1);
            c0 = weights(w, rowOff2 + i * 2L).fma(x0, c0);
            c1 = weights(w, rowOff2 + (i + FloatDot.HALF) * 2L).fma(x1, c1);
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
        for (; i < cols; i++) dst[dstOff + i] = Bf16.toFloat(w.get(SHORT, rowOff + i * 2L));
    }
}
