package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.FLOAT;
import static dev.edgebox.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** 32-bit floats: no conversion, plain vector dot products. */
final class F32Type implements TensorType {

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
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        float[] a = x.f;
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOff = (long) r * cols * 4;
            for (int t = 0; t < nTok; t++) {
                out[outOffset + t * outStride + r] = dot(w, rowOff, a, t * cols, cols);
            }
        }
    }

    static float dot(MemorySegment w, long off, float[] a, int aOff, int n) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= n; i += 2 * step) {
            acc0 = FloatVector.fromMemorySegment(F, w, off + i * 4L, LE).fma(FloatVector.fromArray(F, a, aOff + i), acc0);
            acc1 = FloatVector.fromMemorySegment(F, w, off + (i + step) * 4L, LE).fma(FloatVector.fromArray(F, a, aOff + i + step), acc1);
        }
        float sum = Simd.sum(acc0.add(acc1));
        for (; i < n; i++) sum += w.get(FLOAT, off + i * 4L) * a[aOff + i];
        return sum;
    }
}
