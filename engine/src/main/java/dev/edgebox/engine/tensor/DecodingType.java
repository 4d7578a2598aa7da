package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A weight type whose kernels multiply decoded float weights with float activations. One token
 * (decode) runs {@link #dot}, which decodes the weights in registers as it goes; several tokens
 * (prefill) decode a tile of rows once into scratch with {@link #decodeRow} and run {@link FloatDot} on it.
 * Both follow {@link FloatDot}'s accumulation order with the same weight values, so a token's result
 * does not depend on how many tokens share the call.
 */
abstract class DecodingType implements TensorType {
    /** Prefill: rows decoded per tile, the most floats a tile may hold, tokens per block. */
    private static final int TILE_ROWS = 16, TILE_FLOATS = 1 << 14;

    /**
     * Tokens per block of a prefill mat-mul: each block decodes every row tile once more, so blocks
     * as long as their inputs stay in L2 while every four rows stream them (512 KB of floats); at
     * least 64 tokens, at most 256.
     */
    static int tokenBlock(int cols) {
        return Math.max(64, Math.min(256, Integer.highestOneBit(Math.max(1, (1 << 17) / cols))));
    }
    /**
     * Tokens up to which a mat-mul runs {@link #dot8} row by row (when the type has it): 1.1-2x the
     * tile kernels from 2 to 8 tokens; two passes for 12-16 tokens were 0.86-1.2x, so those stay tiled.
     */
    static final int SMALL_BATCH = 8;

    /** The activation values the weights are multiplied with. */
    abstract float[] values(Activations x);

    /**
     * The activation values {@link #dot} and {@link #dot2} read (one token): {@link #values} unless
     * a type's one-token kernels take them in a form of their own.
     */
    float[] dotValues(Activations x) {
        return values(x);
    }

    /**
     * Work on a row that {@link #dot} then reads from s (the sub-block factors of K-quants). A call of
     * its own, not part of dot: the JIT compiles each as a separate method, so the vector operations
     * of both do not add up past its inlining node limit (past it, vector operations run as
     * allocating Java code). Does nothing unless a type needs it. Slot 0 is the row {@link #dot},
     * {@link #dot8} and the first row of {@link #dot2} read; slot 1 the second row of dot2, kept
     * beside the first.
     */
    void prepare(MemorySegment w, long rowOff, int cols, RowScratch s, int slot) {}

    /**
     * dot(weight row at byte offset rowOff, x[xOff .. xOff + cols)) in {@link FloatDot}'s order, after
     * {@link #prepare}; x as {@link #dotValues}.
     */
    abstract float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s);

    /**
     * Small batches, 512 bits: the dots of the weight row at rowOff with up to eight tokens at once
     * (count of them, in {@link Activations#octets}' layout; the kernels may skip tokens past the
     * first four when count <= 4, and the results of missing tokens are to be ignored), decoding the
     * row in registers once for all of them. Leaves each token's accumulator, halves added, at
     * s.lanes[16 * k] for {@link Simd#sum8}: the same products in the same order as {@link #dot}.
     * Only called when {@link #hasDot8}. Each type writes its sixteen multiply-adds out in full: a
     * shared helper holding them is too big for the JIT to inline into each type's loop, and one that
     * takes the accumulators as arguments made them boxed objects (tried; 0.6x).
     */
    void dot8(MemorySegment w, long rowOff, int cols, float[] x8, int count, RowScratch s) {
        throw new UnsupportedOperationException(ggml() + " has no eight-token kernel");
    }

    /**
     * Whether this type has {@link #dot8}. Only where it beats decoding a tile of rows to scratch for
     * the 2x4 kernel: the types whose groups decode in a few register operations (Q8_0, Q4_0, Q5_0,
     * Q4_K). Q6_K's in registers was 0.9-1.0x the tile; decoding rows to scratch for the eight-token
     * loop lost to the tile too (K-quants 0.7-0.8x, F16 0.84x).
     */
    boolean hasDot8() {
        return false;
    }

    /**
     * Decode, 512 bits: the dots of the weight rows at rowOff and rowOff2 with x, each in {@link #dot}'s
     * order (the same bits), their accumulators, halves added, left at s.lanes[0] and s.lanes[16] for
     * {@link Simd#sumLanes(float[], int)}. Only called when {@link #hasDot2}. Why two rows: a decode
     * step reads every weight once, from memory, and a one-row loop keeps too few reads in flight to
     * hide their latency behind its arithmetic (a Q4_0 row ran at ~5.3 ns a block streamed from the
     * mapped file against ~3.5 from cache). Rows from the two halves of the range are two streams
     * of reads in flight at once: decode steps 1.17-1.38x faster by thread CPU time.
     */
    void dot2(MemorySegment w, long rowOff, long rowOff2, int cols, float[] x, RowScratch s) {
        throw new UnsupportedOperationException(ggml() + " has no two-row kernel");
    }

    /** Whether this type has {@link #dot2}. */
    boolean hasDot2() {
        return false;
    }

    /**
     * One token, two rows a call ({@link #dot2}): row r of the first half of the range with row
     * r + half. The sums by {@link Simd#sumLanes(float[], int)}, not {@link Simd#sum8}: with a type's
     * dot2 inlined here, sum8's permutes passed the JIT's node budget and boxed their vectors.
     */
    private void rowPairs(MemorySegment w, int cols, float[] x, float[] out, int outOffset, int rowStart, int half, RowScratch s) {
        long rowBytes = rowBytes(cols);
        float[] lanes = s.lanes;
        for (int r = rowStart; r < rowStart + half; r++) {
            prepare(w, r * rowBytes, cols, s, 0);
            prepare(w, (r + half) * rowBytes, cols, s, 1);
            dot2(w, r * rowBytes, (r + half) * rowBytes, cols, x, s);
            out[outOffset + r] = Simd.sumLanes(lanes, 0);
            out[outOffset + r + half] = Simd.sumLanes(lanes, 16);
        }
    }

    /**
     * One token, one row a call ({@link #dot}): the types without {@link #dot2} and odd rows. A method
     * of its own, as {@link #rowPairs}: a call site that sees one or two types inlines their dot, and
     * inlined into matmul it would share matmul's node budget (past it, vectors are boxed).
     */
    private void rows(MemorySegment w, int cols, float[] x, float[] out, int outOffset, int rowStart, int rowEnd, RowScratch s) {
        long rowBytes = rowBytes(cols);
        for (int r = rowStart; r < rowEnd; r++) {
            prepare(w, r * rowBytes, cols, s, 0);
            out[outOffset + r] = dot(w, r * rowBytes, cols, x, 0, s);
        }
    }

    /** Writes the weight row at byte offset rowOff into dst[dstOff .. dstOff + cols), the values {@link #dot} uses. */
    abstract void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s);

    /**
     * Few tokens (the decode steps of several streams): each row decoded in registers serves all of
     * them in one pass ({@link #dot8}), instead of a round trip through scratch. A method of its own
     * so that the JIT inlines {@link Simd#sum8}'s lane permutes here within its node budget (inlined
     * into matmul they were not intrinsified, and every row boxed its vectors).
     */
    private void smallBatch(MemorySegment w, int cols, float[] x8, int nTok, float[] out, int outOffset, int outStride,
                            int rowStart, int rowEnd, RowScratch s) {
        long rowBytes = rowBytes(cols);
        float[] lanes = s.lanes;
        for (int r = rowStart; r < rowEnd; r++) {
            prepare(w, r * rowBytes, cols, s, 0);
            dot8(w, r * rowBytes, cols, x8, nTok, s);
            Simd.sum8(lanes);
            for (int t = 0; t < nTok; t++) out[outOffset + t * outStride + r] = lanes[t];
        }
    }

    @Override
    public final void matmul(MemorySegment w, int cols, Activations x, int nTok, float[] out, int outOffset, int outStride,
                             int rowStart, int rowEnd) {
        RowScratch s = RowScratch.get(cols);
        long rowBytes = rowBytes(cols);
        if (nTok == 1) {
            float[] xd = dotValues(x);
            int r = rowStart;
            if (hasDot2() && FloatDot.wideGroups(cols)) {
                int half = (rowEnd - rowStart) / 2;
                rowPairs(w, cols, xd, out, outOffset, rowStart, half, s);
                r += 2 * half;
            }
            rows(w, cols, xd, out, outOffset, r, rowEnd, s);
            return;
        }
        float[] xs = values(x);
        if (nTok <= SMALL_BATCH && hasDot8() && FloatDot.wideGroups(cols)) {
            smallBatch(w, cols, x.octets(xs), nTok, out, outOffset, outStride, rowStart, rowEnd, s);
            return;
        }
        // Tokens in blocks whose inputs stay in L2; per block, a tile of rows is decoded once and
        // multiplied with the block's tokens, four rows by four tokens per pass when there are enough
        // tokens (FloatDot.QUAD_TOKENS), else two by four.
        // Whole fours (or pairs) of rows: an odd one out would run a smaller kernel, a third slower.
        boolean quads = FloatDot.quadsPay(nTok, cols);
        int unit = quads ? 4 : 2;
        int tileRows = Math.max(unit, Math.min(TILE_ROWS, TILE_FLOATS / cols) / unit * unit);
        float[] tile = s.tile(tileRows * cols);
        MemorySegment xq = quads ? x.quads(xs) : null;
        int block = tokenBlock(cols);
        for (int t0 = 0; t0 < nTok; t0 += block) {
            int tokens = Math.min(block, nTok - t0);
            for (int r0 = rowStart; r0 < rowEnd; r0 += tileRows) {
                int rows = Math.min(tileRows, rowEnd - r0);
                for (int r = 0; r < rows; r++) decodeRow(w, (r0 + r) * rowBytes, cols, tile, r * cols, s);
                FloatDot.tileTimesTokens(tile, rows, cols, xs, t0 * cols, FloatDot.quadsPay(tokens, cols) ? xq : null, tokens,
                        out, outOffset + t0 * outStride + r0, outStride, s);
            }
        }
    }
}
