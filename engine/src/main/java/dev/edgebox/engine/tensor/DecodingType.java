package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A weight type whose kernels multiply decoded float weights with float activations. One token
 * (decode) runs {@link #dot}, which decodes the weights in registers as it goes; several tokens
 * (prefill) decode each row once into scratch with {@link #decodeRow} and run {@link FloatDot} on it.
 * Both follow {@link FloatDot}'s accumulation order with the same weight values, so a token's result
 * does not depend on how many tokens share the call.
 */
abstract class DecodingType implements TensorType {

    /** The activation values the weights are multiplied with. */
    abstract float[] values(Activations x);

    /** dot(weight row at byte offset rowOff, x[xOff .. xOff + cols)) in {@link FloatDot}'s order. */
    abstract float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s);

    /** Writes the weight row at byte offset rowOff into dst[0 .. cols), the values {@link #dot} uses. */
    abstract void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, RowScratch s);

    @Override
    public final void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                             int rowStart, int rowEnd) {
        RowScratch s = RowScratch.get(cols);
        long rowBytes = rowBytes(cols);
        float[] xs = values(x);
        if (nTok == 1) {
            for (int r = rowStart; r < rowEnd; r++) out[outOffset + r] = dot(w, r * rowBytes, cols, xs, 0, s);
            return;
        }
        for (int r = rowStart; r < rowEnd; r++) {
            decodeRow(w, r * rowBytes, cols, s.row, s);
            FloatDot.rowTimesTokens(s.row, cols, xs, nTok, out, outOffset + r, outStride);
        }
    }
}
