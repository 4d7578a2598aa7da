package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.INT;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_1: blocks of 32 weights as fp16 scale d, fp16 min m, a 32-bit word of fifth bits and 16 bytes
 * of low nibbles (layout as Q5_0); weight = d * q + m. Activations are Q8_1 (see {@link Q4_1Type}).
 */
final class Q5_1Type implements TensorType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 24;

    /** Lane numbers, for shifting each lane's own bit of qh into place. */
    private static final IntVector LANE = IntVector.zero(I).addIndex(1);

    @Override
    public GgmlType ggml() {
        return GgmlType.Q5_1;
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
            int qh = data.get(INT, off + 4);
            int o = dstOffset + b * QK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, off + 8 + j) & 0xff;
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[o + j] = ((q & 0x0f) | h0) * d + m;
                dst[o + j + 16] = ((q >> 4) | h1) * d + m;
            }
        }
    }

    /** quantize_row_q5_1_ref: min and max of the block, d = (max - min) / 31. */
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
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, QuantFit.toHalf(d));
            dst.set(SHORT, out + 2, QuantFit.toHalf(min));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                // ggml casts straight to uint8_t here, without clamping to 31.
                int q0 = ((int) ((src[in + j] - min) * id + 0.5f)) & 0xff;
                int q1 = ((int) ((src[in + 16 + j] - min) * id + 0.5f)) & 0xff;
                dst.set(BYTE, out + 8 + j, (byte) ((q0 & 0x0f) | ((q1 & 0x0f) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(INT, out + 4, qh);
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
            int qh = w.get(INT, off + 4);
            IntVector qhLo = IntVector.broadcast(I, qh << 4), qhHi = IntVector.broadcast(I, qh >>> 12);
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < 16; j += step) {
                IntVector v = Simd.bytesToInts(w, off + 8 + j);
                IntVector shift = LANE.add(j);
                IntVector lo = v.and(0xf).or(qhLo.lanewise(VectorOperators.LSHR, shift).and(0x10));
                IntVector hi = v.lanewise(VectorOperators.LSHR, 4).and(0xf).or(qhHi.lanewise(VectorOperators.LSHR, shift).and(0x10));
                s = ((FloatVector) lo.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + j), s);
                s = ((FloatVector) hi.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 16 + j), s);
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
