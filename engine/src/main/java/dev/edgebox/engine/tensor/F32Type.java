package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.FLOAT;
import static dev.edgebox.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** 32-bit floats: no conversion, plain vector dot products. */
final class F32Type extends DecodingType {

    @Override
    public GgmlType ggml() {
        return GgmlType.F32;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        MemorySegment.copy(data, FLOAT, firstElement * 4, dst, dstOffset, count);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        MemorySegment.copy(src, srcOffset, dst, FLOAT, dstByteOffset, count);
    }

    @Override
    float[] values(Activations x) {
        return x.f;
    }

    private static FloatVector weights(MemorySegment w, long off) {
        return FloatVector.fromMemorySegment(F, w, off, LE);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + FloatDot.GROUP <= cols; i += FloatDot.GROUP) {
            for (int j = 0; j < FloatDot.HALF; j += step) {
                a0 = weights(w, rowOff + (i + j) * 4L).fma(FloatVector.fromArray(F, x, xOff + i + j), a0);
                a1 = weights(w, rowOff + (i + FloatDot.HALF + j) * 4L).fma(FloatVector.fromArray(F, x, xOff + i + FloatDot.HALF + j), a1);
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        float sum = Simd.sumLanes(s.lanes);
        for (; i < cols; i++) sum += w.get(FLOAT, rowOff + i * 4L) * x[xOff + i];
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
            a0 = weights(w, rowOff + i * 4L).fma(x0, a0);
            a1 = weights(w, rowOff + (i + FloatDot.HALF) * 4L).fma(x1, a1);
            c0 = weights(w, rowOff2 + i * 4L).fma(x0, c0);
            c1 = weights(w, rowOff2 + (i + FloatDot.HALF) * 4L).fma(x1, c1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        c0.add(c1).intoArray(s.lanes, 16);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int step = F.length();
        int i = 0;
        for (; i + FloatDot.GROUP <= cols; i += FloatDot.GROUP) {
            for (int j = 0; j < FloatDot.GROUP; j += step) weights(w, rowOff + (i + j) * 4L).intoArray(dst, dstOff + i + j);
        }
        for (; i < cols; i++) dst[dstOff + i] = w.get(FLOAT, rowOff + i * 4L);
    }
}
