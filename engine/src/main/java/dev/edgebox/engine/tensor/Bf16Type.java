package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;
import static dev.edgebox.engine.tensor.Simd.S_FOR_I;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** bfloat16: the top half of a float, so widening is a 16-bit shift in registers. */
final class Bf16Type implements TensorType {

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
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOff = (long) r * cols * 2;
            for (int t = 0; t < nTok; t++) out[outOffset + t * outStride + r] = dot(w, rowOff, x.f, t * cols, cols);
        }
    }

    private static FloatVector load(MemorySegment w, long off) {
        return ((jdk.incubator.vector.IntVector) ShortVector.fromMemorySegment(S_FOR_I, w, off, LE)
                .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float dot(MemorySegment w, long off, float[] a, int aOff, int n) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            acc0 = load(w, off + i * 2L).fma(FloatVector.fromArray(F, a, aOff + i), acc0);
            acc1 = load(w, off + (i + step) * 2L).fma(FloatVector.fromArray(F, a, aOff + i + step), acc1);
        }
        float sum = Simd.sum(acc0.add(acc1));
        for (; i < n; i++) sum += Bf16.toFloat(w.get(SHORT, off + i * 2L)) * a[aOff + i];
        return sum;
    }
}
