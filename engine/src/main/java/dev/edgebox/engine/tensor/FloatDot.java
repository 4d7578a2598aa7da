package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.LE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Dot products of float rows in the one accumulation order that every decoding kernel follows:
 * elements go in groups of 32; the first 16 of each group feed accumulator 0 and the last 16
 * accumulator 1, a vector at a time in element order; the two are added and summed by
 * {@link Simd#sum}, and elements past the last whole group are added one by one. A kernel that
 * decodes weights in registers (one token) and one that multiplies a decoded row (many tokens)
 * therefore give the same bits for the same token.
 */
final class FloatDot {
    private FloatDot() {}

    static final int GROUP = 32, HALF = 16;

    static float dot(float[] w, int wOff, float[] x, int xOff, int n, float[] lanes) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + GROUP <= n; i += GROUP) {
            for (int j = 0; j < HALF; j += step) {
                a0 = FloatVector.fromArray(F, w, wOff + i + j).fma(FloatVector.fromArray(F, x, xOff + i + j), a0);
                a1 = FloatVector.fromArray(F, w, wOff + i + HALF + j).fma(FloatVector.fromArray(F, x, xOff + i + HALF + j), a1);
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return tail(Simd.sumLanes(lanes), w, wOff, x, xOff, i, n);
    }

    /** Adds the elements past the last whole group, one by one. */
    static float tail(float sum, float[] w, int wOff, float[] x, int xOff, int from, int n) {
        for (int i = from; i < n; i++) sum += w[wOff + i] * x[xOff + i];
        return sum;
    }

    /**
     * Tokens at least for the 4x4 kernel: it copies each four rows into its layout once per token
     * block, which fewer tokens do not repay (16 tokens: 0.9-1.08x the 2x4 kernel; 64: 1.1-1.4x).
     */
    static final int QUAD_TOKENS = 32;

    /** Whether nTok tokens of cols columns go through the 4x4 kernel (512 bits, whole groups only). */
    static boolean quadsPay(int nTok, int cols) {
        return nTok >= QUAD_TOKENS && wideGroups(cols);
    }

    /** Whether rows of cols columns suit the interleaved kernels (4x4, {@link DecodingType#dot8}): 512 bits, whole groups only. */
    static boolean wideGroups(int cols) {
        return F.length() == HALF && cols % GROUP == 0;
    }

    /**
     * For the {@code rows} decoded rows in tile (row r at r * n) and every token t in [0, nTok) (token
     * t at x[xOff + t * n]): out[o + t * outStride + r] = dot(row r, token t), all in {@link #dot}'s
     * order. With xq (the tokens in {@link #toQuads}'s layout, token t's four at xq[xOff + t * n]),
     * four rows times four tokens per pass ({@link #dot4x4}); the rest two rows times four tokens,
     * then smaller steps.
     */
    static void tileTimesTokens(float[] tile, int rows, int n, float[] x, int xOff, MemorySegment xq, int nTok, float[] out, int o, int outStride,
                                RowScratch s) {
        int r = 0;
        if (xq != null) {
            MemorySegment w = s.quad(4 * n);
            float[] v = s.acc;
            int quadTokens = nTok & ~3;
            for (; r + 4 <= rows; r += 4) {
                toQuads(tile, r * n, n, w, 0);
                for (int t = 0; t < quadTokens; t += 4) {
                    dot4x4(w, xq, 4L * (xOff + t * n), n, v);
                    // The sum of row k and token j is at v[4 k + j].
                    for (int j = 0, at = o + t * outStride + r; j < 4; j++, at += outStride) {
                        out[at] = v[j];
                        out[at + 1] = v[4 + j];
                        out[at + 2] = v[8 + j];
                        out[at + 3] = v[12 + j];
                    }
                }
                for (int t = quadTokens; t < nTok; t++) {
                    for (int k = 0; k < 4; k++) out[o + t * outStride + r + k] = dot(tile, (r + k) * n, x, xOff + t * n, n, s.lanes);
                }
            }
        }
        pairs(tile, r, rows, n, x, xOff, nTok, out, o, outStride, s.lanes);
    }

    /**
     * Rows [r0, rows) of the tile against every token: two rows times four tokens per pass, so each
     * load of a weight vector serves four tokens and each load of an input vector two rows; the rest
     * in smaller steps.
     */
    private static void pairs(float[] tile, int r0, int rows, int n, float[] x, int xOff, int nTok, float[] out, int o, int outStride,
                              float[] lanes) {
        int t = 0;
        for (; t + 4 <= nTok; t += 4) {
            int r = r0;
            if (F.length() == HALF) {
                // The kernel leaves its eight accumulators in lanes; they are summed here, where the
                // JIT has room to inline the lane permutes (see Simd.sum8).
                int bound = n - n % GROUP;
                for (; r + 2 <= rows; r += 2) {
                    dot2x4Wide(tile, r * n, x, xOff + t * n, n, lanes);
                    Simd.sum8(lanes);
                    for (int k = 0; k < 8; k++) {
                        int row = r + (k >> 2), tok = t + (k & 3);
                        float sum = lanes[k];
                        out[o + tok * outStride + row] = bound == n ? sum : tail(sum, tile, row * n, x, xOff + tok * n, bound, n);
                    }
                }
            }
            for (; r < rows; r++) dot4(tile, r * n, x, xOff + t * n, n, out, o + t * outStride + r, outStride, lanes);
        }
        for (; t < nTok; t++) {
            for (int r = r0; r < rows; r++) out[o + t * outStride + r] = dot(tile, r * n, x, xOff + t * n, n, lanes);
        }
    }

    /**
     * Native memory for n floats of the 4x4 kernel's operands, at a 64-byte boundary: a 512-bit load
     * that straddles two cache lines costs two, and Java arrays start wherever the heap put them.
     * With the tokens streaming from L2, the loop ran ~1.4x faster on aligned native memory than on
     * arrays (~90 against ~60 GFLOP/s in one JVM; the same in L1). Freed by the GC with the segment.
     */
    static MemorySegment aligned(int n) {
        return Arena.ofAuto().allocate(4L * n, 64);
    }

    /**
     * Four rows of n floats (row k at src[off + k * n]) interleaved by half-groups: per group g of 32
     * columns, the first 16 of rows 0-3, then the last 16 of rows 0-3 (128 floats), so the 4x4
     * kernel reads each of its eight vectors at a fixed distance from one offset (one address
     * register, where four row offsets and four token offsets spilled). Written at byte dstOff of
     * dst; n a multiple of 32, 512 bits.
     */
    static void toQuads(float[] src, int off, int n, MemorySegment dst, long dstOff) {
        for (int g = 0; g < n; g += GROUP) {
            for (int k = 0; k < 4; k++) {
                int from = off + k * n + g;
                long to = dstOff + 4L * (g * 4 + k * HALF);
                FloatVector.fromArray(F, src, from).intoMemorySegment(dst, to, LE);
                FloatVector.fromArray(F, src, from + HALF).intoMemorySegment(dst, to + 4L * 4 * HALF, LE);
            }
        }
    }

    /**
     * 512 bits, four rows times four tokens, both in {@link #toQuads}'s layout (the tokens' four
     * from byte xo of xq): the first halves of all groups into sixteen accumulators, then the
     * second halves into sixteen more (32 would not fit the registers), so each accumulator sees the
     * same products in the same order as {@link #dot}'s two; then first + second and the sums
     * ({@link Simd#sum16}), for k = 4 * row + token, at v[k]. Half the loads per multiply-add of
     * the 2x4 kernel.
     */
    private static void dot4x4(MemorySegment w, MemorySegment xq, long xo, int n, float[] v) {
        long end = 4L * 4 * n;
        halfPass4x4(w, xq, xo, end, 0, v, false);
        halfPass4x4(w, xq, xo, end, 4L * 4 * HALF, v, true);
        Simd.sum16(v);
    }

    /**
     * One half of {@link #dot4x4}: the vectors at byte offset h of every 512-byte group, accumulators
     * to v[16 * (4 * row + token)], or added to what is there (the first half's, for first + second;
     * the same bits as second + first). The loop steps a long byte offset and takes two groups a
     * turn, each accumulator still in group order. The exit test {@code i + step < end} keeps the
     * JIT from treating it as a counted loop: that form hoists the bounds checks but pays a set-up
     * (check limits, pre- and post-loop) on every call, and at 896 columns a pass is only 28
     * groups. Measured alone, this form ran 1.2x the counted loop of one group, and the counted
     * loop of two groups was slower than both (see DESIGN-NOTES, "The 4x4 pass two groups a turn").
     * The group's body is written out three times (two a turn, then an odd last one): sixteen
     * accumulators cannot go through a helper without the JIT boxing them.
     */
    private static void halfPass4x4(MemorySegment w, MemorySegment x, long xo, long end, long h, float[] v, boolean add) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        final long step = 4 * 4 * GROUP;
        long i = h;
        for (; i + step < end; i += 2 * step) {
            FloatVector w0 = FloatVector.fromMemorySegment(F, w, i, LE), w1 = FloatVector.fromMemorySegment(F, w, i + 64, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(F, w, i + 128, LE), w3 = FloatVector.fromMemorySegment(F, w, i + 192, LE);
            long p = xo + i;
            FloatVector xv = FloatVector.fromMemorySegment(F, x, p, LE);
            a00 = w0.fma(xv, a00);
            a10 = w1.fma(xv, a10);
            a20 = w2.fma(xv, a20);
            a30 = w3.fma(xv, a30);
            xv = FloatVector.fromMemorySegment(F, x, p + 64, LE);
            a01 = w0.fma(xv, a01);
            a11 = w1.fma(xv, a11);
            a21 = w2.fma(xv, a21);
            a31 = w3.fma(xv, a31);
            xv = FloatVector.fromMemorySegment(F, x, p + 128, LE);
            a02 = w0.fma(xv, a02);
            a12 = w1.fma(xv, a12);
            a22 = w2.fma(xv, a22);
            a32 = w3.fma(xv, a32);
            xv = FloatVector.fromMemorySegment(F, x, p + 192, LE);
            a03 = w0.fma(xv, a03);
            a13 = w1.fma(xv, a13);
            a23 = w2.fma(xv, a23);
            a33 = w3.fma(xv, a33);
            // The next group.
            w0 = FloatVector.fromMemorySegment(F, w, i + step, LE);
            w1 = FloatVector.fromMemorySegment(F, w, i + step + 64, LE);
            w2 = FloatVector.fromMemorySegment(F, w, i + step + 128, LE);
            w3 = FloatVector.fromMemorySegment(F, w, i + step + 192, LE);
            xv = FloatVector.fromMemorySegment(F, x, p + step, LE);
            a00 = w0.fma(xv, a00);
            a10 = w1.fma(xv, a10);
            a20 = w2.fma(xv, a20);
            a30 = w3.fma(xv, a30);
            xv = FloatVector.fromMemorySegment(F, x, p + step + 64, LE);
            a01 = w0.fma(xv, a01);
            a11 = w1.fma(xv, a11);
            a21 = w2.fma(xv, a21);
            a31 = w3.fma(xv, a31);
            xv = FloatVector.fromMemorySegment(F, x, p + step + 128, LE);
            a02 = w0.fma(xv, a02);
            a12 = w1.fma(xv, a12);
            a22 = w2.fma(xv, a22);
            a32 = w3.fma(xv, a32);
            xv = FloatVector.fromMemorySegment(F, x, p + step + 192, LE);
            a03 = w0.fma(xv, a03);
            a13 = w1.fma(xv, a13);
            a23 = w2.fma(xv, a23);
            a33 = w3.fma(xv, a33);
        }
        if (i < end) {
            // An odd count of groups: the last one.
            FloatVector w0 = FloatVector.fromMemorySegment(F, w, i, LE), w1 = FloatVector.fromMemorySegment(F, w, i + 64, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(F, w, i + 128, LE), w3 = FloatVector.fromMemorySegment(F, w, i + 192, LE);
            long p = xo + i;
            FloatVector xv = FloatVector.fromMemorySegment(F, x, p, LE);
            a00 = w0.fma(xv, a00);
            a10 = w1.fma(xv, a10);
            a20 = w2.fma(xv, a20);
            a30 = w3.fma(xv, a30);
            xv = FloatVector.fromMemorySegment(F, x, p + 64, LE);
            a01 = w0.fma(xv, a01);
            a11 = w1.fma(xv, a11);
            a21 = w2.fma(xv, a21);
            a31 = w3.fma(xv, a31);
            xv = FloatVector.fromMemorySegment(F, x, p + 128, LE);
            a02 = w0.fma(xv, a02);
            a12 = w1.fma(xv, a12);
            a22 = w2.fma(xv, a22);
            a32 = w3.fma(xv, a32);
            xv = FloatVector.fromMemorySegment(F, x, p + 192, LE);
            a03 = w0.fma(xv, a03);
            a13 = w1.fma(xv, a13);
            a23 = w2.fma(xv, a23);
            a33 = w3.fma(xv, a33);
        }
        if (add) {
            a00 = FloatVector.fromArray(F, v, 0).add(a00);
            a01 = FloatVector.fromArray(F, v, 16).add(a01);
            a02 = FloatVector.fromArray(F, v, 32).add(a02);
            a03 = FloatVector.fromArray(F, v, 48).add(a03);
            a10 = FloatVector.fromArray(F, v, 64).add(a10);
            a11 = FloatVector.fromArray(F, v, 80).add(a11);
            a12 = FloatVector.fromArray(F, v, 96).add(a12);
            a13 = FloatVector.fromArray(F, v, 112).add(a13);
            a20 = FloatVector.fromArray(F, v, 128).add(a20);
            a21 = FloatVector.fromArray(F, v, 144).add(a21);
            a22 = FloatVector.fromArray(F, v, 160).add(a22);
            a23 = FloatVector.fromArray(F, v, 176).add(a23);
            a30 = FloatVector.fromArray(F, v, 192).add(a30);
            a31 = FloatVector.fromArray(F, v, 208).add(a31);
            a32 = FloatVector.fromArray(F, v, 224).add(a32);
            a33 = FloatVector.fromArray(F, v, 240).add(a33);
        }
        a00.intoArray(v, 0);
        a01.intoArray(v, 16);
        a02.intoArray(v, 32);
        a03.intoArray(v, 48);
        a10.intoArray(v, 64);
        a11.intoArray(v, 80);
        a12.intoArray(v, 96);
        a13.intoArray(v, 112);
        a20.intoArray(v, 128);
        a21.intoArray(v, 144);
        a22.intoArray(v, 160);
        a23.intoArray(v, 176);
        a30.intoArray(v, 192);
        a31.intoArray(v, 208);
        a32.intoArray(v, 224);
        a33.intoArray(v, 240);
    }

    /**
     * 512 bits, rows w0 and w0 + n against four tokens: 16 accumulators, one load per 16 lanes feeds 2 or 4 FMAs.
     * Leaves the eight (row, token) accumulators, halves added, in v[16 * k] for k = 4 * row + token, for {@link Simd#sum8}.
     */
    private static void dot2x4Wide(float[] w, int w0, float[] x, int x0, int n, float[] v) {
        int w1 = w0 + n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a00 = FloatVector.zero(F), b00 = a00, a01 = a00, b01 = a00, a02 = a00, b02 = a00, a03 = a00, b03 = a00;
        FloatVector a10 = a00, b10 = a00, a11 = a00, b11 = a00, a12 = a00, b12 = a00, a13 = a00, b13 = a00;
        int bound = n - n % GROUP;
        for (int i = 0; i < bound; i += GROUP) {
            FloatVector p = FloatVector.fromArray(F, w, w0 + i), q = FloatVector.fromArray(F, w, w1 + i);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + i);
            a00 = p.fma(xv, a00);
            a10 = q.fma(xv, a10);
            xv = FloatVector.fromArray(F, x, x1 + i);
            a01 = p.fma(xv, a01);
            a11 = q.fma(xv, a11);
            xv = FloatVector.fromArray(F, x, x2 + i);
            a02 = p.fma(xv, a02);
            a12 = q.fma(xv, a12);
            xv = FloatVector.fromArray(F, x, x3 + i);
            a03 = p.fma(xv, a03);
            a13 = q.fma(xv, a13);
            p = FloatVector.fromArray(F, w, w0 + i + HALF);
            q = FloatVector.fromArray(F, w, w1 + i + HALF);
            xv = FloatVector.fromArray(F, x, x0 + i + HALF);
            b00 = p.fma(xv, b00);
            b10 = q.fma(xv, b10);
            xv = FloatVector.fromArray(F, x, x1 + i + HALF);
            b01 = p.fma(xv, b01);
            b11 = q.fma(xv, b11);
            xv = FloatVector.fromArray(F, x, x2 + i + HALF);
            b02 = p.fma(xv, b02);
            b12 = q.fma(xv, b12);
            xv = FloatVector.fromArray(F, x, x3 + i + HALF);
            b03 = p.fma(xv, b03);
            b13 = q.fma(xv, b13);
        }
        a00.add(b00).intoArray(v, 0);
        a01.add(b01).intoArray(v, 16);
        a02.add(b02).intoArray(v, 32);
        a03.add(b03).intoArray(v, 48);
        a10.add(b10).intoArray(v, 64);
        a11.add(b11).intoArray(v, 80);
        a12.add(b12).intoArray(v, 96);
        a13.add(b13).intoArray(v, 112);
    }

    private static void dot4(float[] w, int w0, float[] x, int x0, int n, float[] out, int o, int outStride, float[] lanes) {
        if (F.length() == HALF) dot4Wide(w, w0, x, x0, n, out, o, outStride, lanes);
        else dot4AnyWidth(w, w0, x, x0, n, out, o, outStride, lanes);
    }

    /** 512 bits: a half is one vector, so the loop has no inner loop and the JIT drops the index checks. */
    private static void dot4Wide(float[] w, int w0, float[] x, int x0, int n, float[] out, int o, int outStride, float[] lanes) {
        int x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int bound = n - n % GROUP;
        for (int i = 0; i < bound; i += GROUP) {
            FloatVector wl = FloatVector.fromArray(F, w, w0 + i), wh = FloatVector.fromArray(F, w, w0 + i + HALF);
            a0 = wl.fma(FloatVector.fromArray(F, x, x0 + i), a0);
            b0 = wh.fma(FloatVector.fromArray(F, x, x0 + i + HALF), b0);
            a1 = wl.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            b1 = wh.fma(FloatVector.fromArray(F, x, x1 + i + HALF), b1);
            a2 = wl.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            b2 = wh.fma(FloatVector.fromArray(F, x, x2 + i + HALF), b2);
            a3 = wl.fma(FloatVector.fromArray(F, x, x3 + i), a3);
            b3 = wh.fma(FloatVector.fromArray(F, x, x3 + i + HALF), b3);
        }
        a0.add(b0).intoArray(lanes, 0);
        out[o] = tail(Simd.sumLanes(lanes), w, w0, x, x0, bound, n);
        a1.add(b1).intoArray(lanes, 0);
        out[o + outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x1, bound, n);
        a2.add(b2).intoArray(lanes, 0);
        out[o + 2 * outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x2, bound, n);
        a3.add(b3).intoArray(lanes, 0);
        out[o + 3 * outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x3, bound, n);
    }

    private static void dot4AnyWidth(float[] w, int w0, float[] x, int x0, int n, float[] out, int o, int outStride, float[] lanes) {
        int step = F.length();
        int x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + GROUP <= n; i += GROUP) {
            for (int j = 0; j < HALF; j += step) {
                int lo = i + j, hi = i + HALF + j;
                FloatVector wl = FloatVector.fromArray(F, w, w0 + lo), wh = FloatVector.fromArray(F, w, w0 + hi);
                a0 = wl.fma(FloatVector.fromArray(F, x, x0 + lo), a0);
                b0 = wh.fma(FloatVector.fromArray(F, x, x0 + hi), b0);
                a1 = wl.fma(FloatVector.fromArray(F, x, x1 + lo), a1);
                b1 = wh.fma(FloatVector.fromArray(F, x, x1 + hi), b1);
                a2 = wl.fma(FloatVector.fromArray(F, x, x2 + lo), a2);
                b2 = wh.fma(FloatVector.fromArray(F, x, x2 + hi), b2);
                a3 = wl.fma(FloatVector.fromArray(F, x, x3 + lo), a3);
                b3 = wh.fma(FloatVector.fromArray(F, x, x3 + hi), b3);
            }
        }
        a0.add(b0).intoArray(lanes, 0);
        out[o] = tail(Simd.sumLanes(lanes), w, w0, x, x0, i, n);
        a1.add(b1).intoArray(lanes, 0);
        out[o + outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x1, i, n);
        a2.add(b2).intoArray(lanes, 0);
        out[o + 2 * outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x2, i, n);
        a3.add(b3).intoArray(lanes, 0);
        out[o + 3 * outStride] = tail(Simd.sumLanes(lanes), w, w0, x, x3, i, n);
    }
}
