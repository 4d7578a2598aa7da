package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.B_FOR_I;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.LE;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0: blocks of 32 weights as an fp16 scale d and 16 bytes of 4-bit quants q (element j in the
 * low nibble of byte j, element j+16 in the high nibble); weight = d * (q - 8). Activations are
 * Q8_0, so a block's dot product is d * d_x * sum((q - 8) * x_q), the sum exact in float lanes.
 */
final class Q4_0Type implements TensorType {
    static final int QK = 32;
    static final int BLOCK_BYTES = 18;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q4_0;
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
            int o = dstOffset + b * QK;
            for (int j = 0; j < 16; j++) {
                int q = data.get(BYTE, off + 2 + j) & 0xff;
                dst[o + j] = ((q & 0x0f) - 8) * d;
                dst[o + j + 16] = ((q >> 4) - 8) * d;
            }
        }
    }

    /** quantize_row_q4_0_ref: d = max / -8 with max the signed value of largest magnitude. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        for (int b = 0; b < count / QK; b++) {
            int in = srcOffset + b * QK;
            float amax = 0, max = 0;
            for (int j = 0; j < QK; j++) {
                float v = src[in + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            dst.set(SHORT, out, QuantFit.toHalf(d));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) (src[in + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (src[in + 16 + j] * id + 8.5f));
                dst.set(BYTE, out + 2 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }

    @Override
    public void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                       int rowStart, int rowEnd) {
        int nb = cols / QK;
        long rowBytes = (long) nb * BLOCK_BYTES;
        for (int r = rowStart; r < rowEnd; r++) {
            int t = 0;
            for (; t + 4 <= nTok; t += 4) dot4(w, r * rowBytes, x.qf, x.d, cols, t, nb, out, outOffset + t * outStride + r, outStride);
            for (; t < nTok; t++) out[outOffset + t * outStride + r] = dot(w, r * rowBytes, x.qf, x.d, t * cols, t * nb, nb);
        }
    }

    /** Four input rows (tokens t0..t0+3) against one weight row: the nibbles are unpacked once for all four. */
    static void dot4(MemorySegment w, long rowOff, float[] xq, float[] xd, int cols, int t0, int nb, float[] out, int o, int outStride) {
        int step = I.length();
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
            for (int j = 0; j < 16; j += step) {
                IntVector v = ((IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 2 + j, LE)
                        .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.XOR, 0xFFFFFF88);
                FloatVector lo = (FloatVector) v.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                        .convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0);
                int lj = xo + j, hj = xo + 16 + j;
                s0 = hi.fma(FloatVector.fromArray(F, xq, x0 + hj), lo.fma(FloatVector.fromArray(F, xq, x0 + lj), s0));
                s1 = hi.fma(FloatVector.fromArray(F, xq, x1 + hj), lo.fma(FloatVector.fromArray(F, xq, x1 + lj), s1));
                s2 = hi.fma(FloatVector.fromArray(F, xq, x2 + hj), lo.fma(FloatVector.fromArray(F, xq, x2 + lj), s2));
                s3 = hi.fma(FloatVector.fromArray(F, xq, x3 + hj), lo.fma(FloatVector.fromArray(F, xq, x3 + lj), s3));
            }
            float dw = Float.float16ToFloat(w.get(SHORT, off));
            FloatVector[] a = (b & 1) == 0 ? ae : ao;
            a[0] = s0.fma(FloatVector.broadcast(F, dw * xd[d0 + b]), a[0]);
            a[1] = s1.fma(FloatVector.broadcast(F, dw * xd[d0 + nb + b]), a[1]);
            a[2] = s2.fma(FloatVector.broadcast(F, dw * xd[d0 + 2 * nb + b]), a[2]);
            a[3] = s3.fma(FloatVector.broadcast(F, dw * xd[d0 + 3 * nb + b]), a[3]);
        }
        for (int k = 0; k < 4; k++) out[o + k * outStride] = Simd.sum(ae[k].add(ao[k]));
    }

    static float dot(MemorySegment w, long rowOff, float[] xq, float[] xd, int qOff, int dOff, int nb) {
        int step = I.length();
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xo = qOff + b * QK;
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < 16; j += step) {
                // Flipping bit 3 of each nibble (and the sign extension) makes them signed: q ^ 8 read as int4 is q - 8.
                IntVector v = ((IntVector) ByteVector.fromMemorySegment(B_FOR_I, w, off + 2 + j, LE)
                        .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.XOR, 0xFFFFFF88);
                FloatVector lo = (FloatVector) v.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                        .convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0);
                s = lo.fma(FloatVector.fromArray(F, xq, xo + j), s);
                s = hi.fma(FloatVector.fromArray(F, xq, xo + 16 + j), s);
            }
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, off)) * xd[dOff + b]);
            if ((b & 1) == 0) acc0 = s.fma(scale, acc0);
            else acc1 = s.fma(scale, acc1);
        }
        return Simd.sum(acc0.add(acc1));
    }
}
