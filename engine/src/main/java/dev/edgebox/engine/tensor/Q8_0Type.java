package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.B_FOR_I;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0: blocks of 32 int8 values with one fp16 scale (34 bytes). The dot kernel multiplies the
 * weight bytes with the Q8_0-quantized activations in float lanes (products and block sums are
 * integers below 2^24, so exact), then applies both scales with one FMA per block.
 */
final class Q8_0Type implements TensorType {
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
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        int nb = cols / QK;
        long rowBytes = (long) nb * BLOCK_BYTES;
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOff = r * rowBytes;
            int t = 0;
            for (; t + 4 <= nTok; t += 4) dot4(w, rowOff, x.qf, x.d, cols, t, nb, out, outOffset + t * outStride + r, outStride);
            for (; t < nTok; t++) out[outOffset + t * outStride + r] = dot(w, rowOff, x.qf, x.d, t * cols, t * nb, nb);
        }
    }

    /** Four input rows (tokens t0..t0+3) against one weight row: each weight vector is widened once for all four. */
    static void dot4(MemorySegment w, long rowOff, float[] xf, float[] d, int cols, int t0, int nb, float[] out, int o, int outStride) {
        int step = F.length();
        // Even and odd blocks go to separate accumulators, exactly as in dot(): a token's result must
        // not depend on whether it was computed alone or in a group of four.
        FloatVector[] ae = {FloatVector.zero(F), FloatVector.zero(F), FloatVector.zero(F), FloatVector.zero(F)};
        FloatVector[] ao = {FloatVector.zero(F), FloatVector.zero(F), FloatVector.zero(F), FloatVector.zero(F)};
        int x0 = t0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int d0 = t0 * nb;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = b * QK;
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            for (int j = 0; j < QK; j += step) {
                FloatVector wv = (FloatVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                s0 = wv.fma(FloatVector.fromArray(F, xf, x0 + xo + j), s0);
                s1 = wv.fma(FloatVector.fromArray(F, xf, x1 + xo + j), s1);
                s2 = wv.fma(FloatVector.fromArray(F, xf, x2 + xo + j), s2);
                s3 = wv.fma(FloatVector.fromArray(F, xf, x3 + xo + j), s3);
            }
            float dw = Float.float16ToFloat(w.get(SHORT, off));
            FloatVector[] a = (b & 1) == 0 ? ae : ao;
            a[0] = s0.fma(FloatVector.broadcast(F, dw * d[d0 + b]), a[0]);
            a[1] = s1.fma(FloatVector.broadcast(F, dw * d[d0 + nb + b]), a[1]);
            a[2] = s2.fma(FloatVector.broadcast(F, dw * d[d0 + 2 * nb + b]), a[2]);
            a[3] = s3.fma(FloatVector.broadcast(F, dw * d[d0 + 3 * nb + b]), a[3]);
        }
        for (int k = 0; k < 4; k++) out[o + k * outStride] = Simd.sum(ae[k].add(ao[k]));
    }

    static float dot(MemorySegment w, long rowOff, float[] xf, float[] d, int qOff, int dOff, int nb) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 1 < nb; b += 2) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (int j = 0; j < QK; j += step) {
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                s0 = w0.fma(FloatVector.fromArray(F, xf, qOff + b * QK + j), s0);
                FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + BLOCK_BYTES + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                s1 = w1.fma(FloatVector.fromArray(F, xf, qOff + b * QK + QK + j), s1);
            }
            acc0 = s0.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, off)) * d[dOff + b]), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, off + BLOCK_BYTES)) * d[dOff + b + 1]), acc1);
        }
        for (; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < QK; j += step) {
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 2 + j, LE).convertShape(VectorOperators.B2F, F, 0);
                s0 = w0.fma(FloatVector.fromArray(F, xf, qOff + b * QK + j), s0);
            }
            acc0 = s0.fma(FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, off)) * d[dOff + b]), acc0);
        }
        return Simd.sum(acc0.add(acc1));
    }
}
