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
final class F16Type implements TensorType {
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
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOff = (long) r * cols * 2;
            for (int t = 0; t < nTok; t++) out[outOffset + t * outStride + r] = dot(w, rowOff, x.f, t * cols, cols);
        }
    }

    /** Lanes of half bits (sign-extended to int) to floats: sign | exponent+mantissa << 13, times 2^112. */
    static FloatVector halfToFloat(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats().mul(TWO_POW_112);
    }

    static float dot(MemorySegment w, long off, float[] a, int aOff, int n) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S_FOR_I, w, off + i * 2L, LE).convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S_FOR_I, w, off + (i + step) * 2L, LE).convertShape(VectorOperators.S2I, I, 0);
            acc0 = halfToFloat(h0).fma(FloatVector.fromArray(F, a, aOff + i), acc0);
            acc1 = halfToFloat(h1).fma(FloatVector.fromArray(F, a, aOff + i + step), acc1);
        }
        float sum = Simd.sum(acc0.add(acc1));
        for (; i < n; i++) sum += Float.float16ToFloat(w.get(SHORT, off + i * 2L)) * a[aOff + i];
        return sum;
    }
}
