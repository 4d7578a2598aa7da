package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type against a scalar decoder written here from the block layouts (as documented by ggml's
 * block_* structs), element by element: dequantize must match it bit for bit, and matmul must equal
 * the exact dot product of the decoded weights with the activations as converted to the type's
 * format, within float rounding of the largest terms involved.
 */
class TensorTypeKernelsTest {

    static List<GgmlType> types() {
        return List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0,
                GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    }

    private static float h(ByteBuffer b, int off) {
        return Float.float16ToFloat(b.getShort(off));
    }

    private static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xff;
    }

    /** The 6-bit scale (which = 0) or min (which = 1) of sub-block s in a Q4_K/Q5_K scale field at off. */
    private static int k4(ByteBuffer b, int off, int s, int which) {
        if (s < 4) return u8(b, off + s + 4 * which) & 63;
        int low = which == 0 ? u8(b, off + s + 4) & 15 : u8(b, off + s + 4) >> 4;
        return low | ((u8(b, off + s - 4 * (1 - which)) >> 6) << 4);
    }

    /**
     * Element e of the block starting at byte 0 of b: {value, bound}, where bound is the largest magnitude
     * any partial term for this element can have (step * largest raw quant + |offset|).
     */
    static double[] element(GgmlType t, ByteBuffer b, int e) {
        switch (t) {
            case F32 -> {
                float v = b.getFloat(0);
                return new double[] {v, Math.abs(v)};
            }
            case F16 -> {
                float v = h(b, 0);
                return new double[] {v, Math.abs(v)};
            }
            case BF16 -> {
                float v = Float.intBitsToFloat((b.getShort(0) & 0xffff) << 16);
                return new double[] {v, Math.abs(v)};
            }
            case Q8_0 -> {
                float d = h(b, 0);
                return new double[] {b.get(2 + e) * d, Math.abs(d) * 128};
            }
            case Q4_0 -> {
                float d = h(b, 0);
                int q = e < 16 ? u8(b, 2 + e) & 15 : u8(b, 2 + e - 16) >> 4;
                return new double[] {(q - 8) * d, Math.abs(d) * 15 + Math.abs(d) * 8};
            }
            case Q4_1 -> {
                float d = h(b, 0), m = h(b, 2);
                int q = e < 16 ? u8(b, 4 + e) & 15 : u8(b, 4 + e - 16) >> 4;
                return new double[] {q * d + m, Math.abs(d) * 15 + Math.abs(m)};
            }
            case Q5_0, Q5_1 -> {
                boolean withMin = t == GgmlType.Q5_1;
                int base = withMin ? 4 : 2;
                float d = h(b, 0), m = withMin ? h(b, 2) : 0;
                int qh = b.getInt(base);
                int q = (e < 16 ? u8(b, base + 4 + e) & 15 : u8(b, base + 4 + e - 16) >> 4) | (((qh >>> e) & 1) << 4);
                return withMin ? new double[] {q * d + m, Math.abs(d) * 31 + Math.abs(m)}
                        : new double[] {(q - 16) * d, Math.abs(d) * 31 + Math.abs(d) * 16};
            }
            case Q2_K -> {
                float d = h(b, 80), dmin = h(b, 82);
                int sc = u8(b, e / 16);
                int q = (u8(b, 16 + 32 * (e / 128) + e % 32) >> (2 * ((e / 32) % 4))) & 3;
                float step = d * (sc & 15), min = dmin * (sc >> 4);
                return new double[] {step * q - min, Math.abs(step) * 3 + Math.abs(min)};
            }
            case Q3_K -> {
                float d = h(b, 108);
                int g = e / 16;
                int low = g < 8 ? u8(b, 96 + g) & 15 : u8(b, 96 + g - 8) >> 4;
                int high = (u8(b, 96 + 8 + g % 4) >> (2 * (g / 4))) & 3;
                int sc = (low | (high << 4)) - 32;
                int q = (u8(b, 32 + 32 * (e / 128) + e % 32) >> (2 * ((e / 32) % 4))) & 3;
                boolean hbit = ((u8(b, e % 32) >> (e / 32)) & 1) != 0;
                float step = d * sc;
                return new double[] {step * (hbit ? q : q - 4), Math.abs(step) * 7 + Math.abs(step) * 4};
            }
            case Q4_K, Q5_K -> {
                boolean five = t == GgmlType.Q5_K;
                float d = h(b, 0), dmin = h(b, 2);
                int s = e / 32;
                int byteAt = (five ? 48 : 16) + 32 * (e / 64) + e % 32;
                int q = (e % 64) < 32 ? u8(b, byteAt) & 15 : u8(b, byteAt) >> 4;
                if (five) q += ((u8(b, 16 + e % 32) >> s) & 1) * 16;
                float step = d * k4(b, 4, s, 0), min = dmin * k4(b, 4, s, 1);
                return new double[] {step * q - min, Math.abs(step) * (five ? 31 : 15) + Math.abs(min)};
            }
            case Q6_K -> {
                float d = h(b, 208);
                int n = e / 128, r = e % 128, l = r % 32, quad = r / 32;
                int lowByte = u8(b, 64 * n + l + (quad % 2 == 1 ? 32 : 0));
                int low = quad < 2 ? lowByte & 15 : lowByte >> 4;
                int high = (u8(b, 128 + 32 * n + l) >> (2 * quad)) & 3;
                int sc = b.get(192 + e / 16);
                float step = d * sc;
                return new double[] {step * ((low | (high << 4)) - 32), Math.abs(step) * 63 + Math.abs(step) * 32};
            }
            default -> throw new AssertionError(t);
        }
    }

    /** Random blocks: random bytes, with every fp16 field a random finite half of moderate size. */
    static MemorySegment randomWeights(GgmlType t, int rows, int cols, SplittableRandom rnd) {
        long bytes = t.bytesFor((long) rows * cols);
        MemorySegment seg = Arena.ofAuto().allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        int[] halves = switch (t) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> new int[0];
        };
        ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        long elements = (long) rows * cols;
        switch (t) {
            case F32 -> {
                for (long i = 0; i < elements; i++) seg.set(FLOAT, 4 * i, (float) rnd.nextGaussian());
            }
            case F16 -> {
                for (long i = 0; i < elements; i++) seg.set(SHORT, 2 * i, randomHalf(rnd, 15));
            }
            case BF16 -> {
                for (long i = 0; i < elements; i++) seg.set(SHORT, 2 * i, (short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
            }
            default -> {
                for (long blk = 0; blk < bytes / t.blockBytes; blk++) {
                    for (int off : halves) seg.set(SHORT, blk * t.blockBytes + off, randomHalf(rnd, 14));
                }
            }
        }
        return seg;
    }

    /** A finite half with exponent field at most maxExp (subnormals included), either sign. */
    static short randomHalf(SplittableRandom rnd, int maxExp) {
        int exp = rnd.nextInt(maxExp + 1), mant = rnd.nextInt(1024), sign = rnd.nextInt(2);
        return (short) ((sign << 15) | (exp << 10) | mant);
    }

    static ByteBuffer block(MemorySegment seg, GgmlType t, long element) {
        long blockIndex = element / t.blockSize;
        return seg.asSlice(blockIndex * t.blockBytes, t.blockBytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @MethodSource("types")
    void dequantizeMatchesTheLayoutBitForBit(GgmlType g) {
        TensorType type = TensorTypes.of(g);
        assertSame(g, type.ggml());
        int cols = 512, rows = 3;
        MemorySegment w = randomWeights(g, rows, cols, new SplittableRandom(g.id * 31L + 7));
        float[] got = new float[rows * cols];
        type.dequantize(w, 0, got, 0, rows * cols);
        for (int i = 0; i < rows * cols; i++) {
            int inBlock = g.blockSize == 1 ? 0 : i % g.blockSize;
            ByteBuffer b = g.blockSize == 1 ? w.asSlice((long) i * g.blockBytes, g.blockBytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                    : block(w, g, i);
            float expected = (float) element(g, b, inBlock)[0];
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[i]), g + " element " + i);
        }
        // A row from the middle, into an offset destination.
        float[] row = new float[cols + 3];
        type.dequantize(w, cols, row, 3, cols);
        for (int i = 0; i < cols; i++) assertEquals(Float.floatToRawIntBits(got[cols + i]), Float.floatToRawIntBits(row[3 + i]));
    }

    @ParameterizedTest
    @MethodSource("types")
    void matmulEqualsTheExactDotOfDecodedWeightsAndConvertedInputs(GgmlType g) {
        TensorType type = TensorTypes.of(g);
        SplittableRandom rnd = new SplittableRandom(g.id * 131L + 3);
        int rows = 37, cols = 768;
        MemorySegment w = randomWeights(g, rows, cols, rnd);
        for (int nTok : new int[] {1, 2, 5}) {
            float[] in = new float[nTok * cols];
            for (int i = 0; i < in.length; i++) in[i] = (float) (rnd.nextGaussian() * (i % 97 == 0 ? 5 : 1));
            Activations a = new Activations(type.activationFormat()).set(in, 0, nTok, cols);
            double[] x = activationValues(a, nTok * cols);
            int rowStart = 3, rowEnd = 34, outOffset = 2, outStride = rows + 5;
            float[] out = new float[outOffset + nTok * outStride];
            java.util.Arrays.fill(out, Float.NaN);
            type.matmul(w, cols, a, nTok, out, outOffset, outStride, rowStart, rowEnd);
            for (int t = 0; t < nTok; t++) {
                for (int r = 0; r < rows; r++) {
                    float got = out[outOffset + t * outStride + r];
                    if (r < rowStart || r >= rowEnd) {
                        assertTrue(Float.isNaN(got), "row " + r + " is outside the range and must stay untouched");
                        continue;
                    }
                    double exact = 0, bound = 0;
                    for (int i = 0; i < cols; i++) {
                        long e = (long) r * cols + i;
                        ByteBuffer b = g.blockSize == 1 ? w.asSlice(e * g.blockBytes, g.blockBytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                                : block(w, g, e);
                        double[] v = element(g, b, (int) (e % g.blockSize));
                        exact += v[0] * x[t * cols + i];
                        bound += v[1] * Math.abs(x[t * cols + i]);
                    }
                    assertEquals(exact, got, 1e-5 * bound, g + " nTok " + nTok + " token " + t + " row " + r);
                }
            }
        }
    }

    /**
     * A token's result does not depend on the batch: the one-token kernel (decode), the eight-token
     * kernels of small batches (up to DecodingType.SMALL_BATCH: 2, 3, 5 and 8 tokens, on either side of
     * the kernels' four-token shortcut) and the tiled many-token kernels (prefill: blocks of DecodingType.tokenBlock tokens,
     * 128 at 768 columns and 64 at 2304; four rows by four tokens, or two by four below FloatDot.QUAD_TOKENS; leftovers one
     * by one) must give the same bits, which the decoder's batch-size consistency builds on. At 768 columns 99 tokens are
     * one block (four by four with three left over) and 163 end in a block of 35; at 2304, 71 end in a block of 7 (two by
     * four); 37 rows leave one row past the fours. Rows of 2304 columns leave room for only four decoded rows a tile (as the
     * long rows of ffn_down do). Rows of 800 columns, for the types with blocks of 32 or less, are an odd count of 32-column
     * groups, which the four-by-four pass ends with one group alone. Rows of 770 columns, for the float types, end in
     * two columns past the last group, which every kernel finishes one column at a time.
     */
    @ParameterizedTest
    @MethodSource("types")
    void oneTokenAtATimeGivesTheBitsOfTheWholeBatch(GgmlType g) {
        for (int nTok : new int[] {2, 3, 5, 8, 13, 71, 99, 163}) oneTokenAtATimeGivesTheBitsOfTheWholeBatch(g, nTok, 768);
        for (int nTok : new int[] {36, 71}) oneTokenAtATimeGivesTheBitsOfTheWholeBatch(g, nTok, 2304);
        if (800 % g.blockSize == 0) oneTokenAtATimeGivesTheBitsOfTheWholeBatch(g, 36, 800);
        if (g.blockSize == 1) oneTokenAtATimeGivesTheBitsOfTheWholeBatch(g, 36, 770);
    }

    private void oneTokenAtATimeGivesTheBitsOfTheWholeBatch(GgmlType g, int nTok, int cols) {
        TensorType type = TensorTypes.of(g);
        SplittableRandom rnd = new SplittableRandom(g.id * 977L + 5);
        int rows = 37;
        MemorySegment w = randomWeights(g, rows, cols, rnd);
        float[] in = new float[nTok * cols];
        for (int i = 0; i < in.length; i++) in[i] = (float) (rnd.nextGaussian() * (i % 89 == 0 ? 7 : 1));
        float[] batch = new float[nTok * rows];
        type.matmul(w, cols, new Activations(type.activationFormat()).set(in, 0, nTok, cols), nTok, batch, 0, rows, 0, rows);
        float[] one = new float[rows];
        for (int t = 0; t < nTok; t++) {
            Activations a = new Activations(type.activationFormat()).set(java.util.Arrays.copyOfRange(in, t * cols, (t + 1) * cols), 0, 1, cols);
            type.matmul(w, cols, a, 1, one, 0, rows, 0, rows);
            for (int r = 0; r < rows; r++) {
                assertEquals(Float.floatToRawIntBits(batch[t * rows + r]), Float.floatToRawIntBits(one[r]), g + " of " + nTok + " tokens of " + cols + ": token " + t + " row " + r);
            }
        }
    }

    /**
     * Decode runs two rows a call (DecodingType.dot2, rows from both halves of the range) where a
     * type has that kernel: every row must get the bits of a call for that row alone (the one-row
     * kernel), for even and odd ranges.
     */
    @ParameterizedTest
    @MethodSource("types")
    void twoRowsAtATimeGiveTheBitsOfOneRow(GgmlType g) {
        TensorType type = TensorTypes.of(g);
        SplittableRandom rnd = new SplittableRandom(g.id * 31L + 7);
        int rows = 23, cols = 1024;
        MemorySegment w = randomWeights(g, rows, cols, rnd);
        float[] in = new float[cols];
        for (int i = 0; i < in.length; i++) in[i] = (float) (rnd.nextGaussian() * (i % 83 == 0 ? 6 : 1));
        Activations a = new Activations(type.activationFormat()).set(in, 0, 1, cols);
        for (int[] range : new int[][] {{0, rows}, {1, rows}, {2, 9}}) {
            float[] pairs = new float[rows], single = new float[rows];
            type.matmul(w, cols, a, 1, pairs, 0, rows, range[0], range[1]);
            for (int r = range[0]; r < range[1]; r++) type.matmul(w, cols, a, 1, single, 0, rows, r, r + 1);
            for (int r = range[0]; r < range[1]; r++) {
                assertEquals(Float.floatToRawIntBits(single[r]), Float.floatToRawIntBits(pairs[r]),
                        g + " rows " + range[0] + ".." + range[1] + ": row " + r);
            }
        }
    }

    /** The activation values the kernels see: rounded floats, or d * q for the Q8 formats. */
    static double[] activationValues(Activations a, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (a.format()) {
                case F32, F16, BF16 -> a.f[i];
                default -> (double) a.d[i / a.format().blockSize] * a.q[i];
            };
        }
        return x;
    }

    @Test
    void everyTypeIsRegisteredAndOthersAreRefusedWithTheirName() {
        for (GgmlType g : types()) assertTrue(TensorTypes.isSupported(g), g + " should be supported");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.edgebox.engine.EngineException.class,
                () -> TensorTypes.of(GgmlType.IQ2_XXS, "blk.0.ffn_up.weight"));
        assertTrue(e.getMessage().contains("blk.0.ffn_up.weight") && e.getMessage().contains("iq2_xxs"), e.getMessage());
    }
}
