package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Per-thread scratch of the kernels, reused so that a mat-mul allocates nothing: weight rows
 * decoded to floats (prefill multiplies them with every token) and the block scales of a row.
 */
final class RowScratch {
    private static final ThreadLocal<RowScratch> LOCAL = ThreadLocal.withInitial(RowScratch::new);

    private float[] tile = new float[0];
    /** Block scales of a row, as floats. */
    float[] scales = new float[0];
    /** Sub-block factors of one super-block (K-quants), two sets. */
    final float[] subA = new float[16], subB = new float[16];
    /** Per-row factors of K-quant super-blocks, up to 32 a super-block (see {@link DecodingType#prepare}). */
    float[] factors = new float[0];
    /** Lanes for {@link Simd#sum}, and eight vectors for {@link Simd#sum8}. */
    final float[] lanes = new float[8 * Simd.F.length()];
    /** The 4x4 kernel's sixteen accumulators (see {@link FloatDot#tileTimesTokens}). */
    final float[] acc = new float[16 * FloatDot.HALF];
    private MemorySegment quad = MemorySegment.NULL;

    static RowScratch get(int cols) {
        RowScratch s = LOCAL.get();
        if (s.scales.length < cols / 32) s.scales = new float[cols / 32];
        if (s.factors.length < cols / 256 * 32 + 32) s.factors = new float[cols / 256 * 32 + 32];
        return s;
    }

    /** Room for four decoded rows in {@link FloatDot#toQuads}'s layout (see {@link FloatDot#aligned}). */
    MemorySegment quad(int floats) {
        if (quad.byteSize() < 4L * floats) quad = FloatDot.aligned(floats);
        return quad;
    }

    /** Room for decoded weight rows (prefill). */
    float[] tile(int floats) {
        if (tile.length < floats) tile = new float[floats];
        return tile;
    }

    /**
     * The fp16 scales of n blocks, the first at byte offset off and the others stride bytes apart,
     * as floats in {@link #scales}: per block the kernels then only broadcast a float from memory.
     * Scalar on purpose: the JIT turns {@link Simd#f16}'s conversion into one vcvtph2ps. A vector
     * version (a short load, a shape change and the bit moves of {@link F16Type}) was, in some JVMs,
     * compiled without its vector intrinsics when inlined into a prefill row decode: it then
     * allocated on every row for the whole run and Q4_0 prefill ran 10-20% slower (see DESIGN-NOTES).
     */
    float[] halfScales(MemorySegment w, long off, long stride, int n) {
        float[] d = scales;
        for (int b = 0; b < n; b++) d[b] = Simd.f16(w, off + b * stride);
        return d;
    }
}
