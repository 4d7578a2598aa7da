package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_1: blocks of 32 weights as fp16 scale d, fp16 min m and 16 bytes of 4-bit quants (element j
 * low nibble of byte j, element j+16 high nibble); weight = d * q + m. Activations are Q8_1, whose
 * per-block s = d_x * sum(x_q) turns the min into one multiply: dot = d * d_x * sum(q * x_q) + m * s.
 */
final class Q4_1Type implements TensorType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 20;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q4_1;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_1;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(SHORT, off));
            float m = Float.float16ToFloat(data.get(SHORT, off + 2));
            int o = dstOffset + b * QK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, off + 4 + j) & 0xff;
                dst[o + j] = (q & 0x0f) * d + m;
                dst[o + j + 16] = (q >> 4) * d + m;
            }
        }
    }

    /** quantize_row_q4_1_ref: min and max of the block, d = (max - min) / 15. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int b = 0; b < count / QK; b++) {
            int in = srcOffset + b * QK;
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = src[in + j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, QuantFit.toHalf(d));
            dst.set(SHORT, out + 2, QuantFit.toHalf(min));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) ((src[in + j] - min) * id + 0.5f));
                int q1 = Math.min(15, (byte) (int) ((src[in + 16 + j] - min) * id + 0.5f));
                dst.set(BYTE, out + 4 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }

    @Override
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        int nb = cols / QK;
        long rowBytes = (long) nb * BLOCK_BYTES;
        for (int r = rowStart; r < rowEnd; r++) {
            for (int t = 0; t < nTok; t++) {
                out[outOffset + t * outStride + r] = dot(w, r * rowBytes, x, t * cols, t * nb, nb);
            }
        }
    }

    static float dot(MemorySegment w, long rowOff, Activations x, int qOff, int dOff, int nb) {
        float[] xq = x.qf(), xd = x.d, xs = x.s;
        int step = I.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.bytesToInts(w, off + 4 + j);
                FloatVector lo = (FloatVector) v.and(0xf).convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).and(0xf).convert(VectorOperators.I2F, 0);
                s = lo.fma(FloatVector.fromArray(F, xq, xo + j), s);
                s = hi.fma(FloatVector.fromArray(F, xq, xo + 16 + j), s);
            }
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, off)) * xd[dOff + b]);
            if ((b & 1) == 0) acc0 = s.fma(scale, acc0);
            else acc1 = s.fma(scale, acc1);
            mins += Float.float16ToFloat(w.get(SHORT, off + 2)) * xs[dOff + b];
        }
        float[] lanes = Simd.lanes();
        acc0.add(acc1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes) + mins;
    }
}
