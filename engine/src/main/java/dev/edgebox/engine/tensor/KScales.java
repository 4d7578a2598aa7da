package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Entries 0-3
 * sit in the low 6 bits of bytes 0-3 (scales) and 4-7 (mins); entries 4-7 keep their low 4 bits in
 * bytes 8-11 and their top 2 bits in the spare high bits of bytes 0-7 (ggml's get_scale_min_k4).
 */
final class KScales {
    private KScales() {}

    private static final int LOW6 = 0x3f3f3f3f, LOW4 = 0x0f0f0f0f, LOW2 = 0x03030303;

    /**
     * The eight scales as the bytes of a long (scale j in bits 8j..8j+7), from three int loads and
     * straight-line bit moves: kernels call this once per super-block, so no loop and no branch.
     */
    static long scales(MemorySegment seg, long off) {
        int a = seg.get(Simd.INT, off), c = seg.get(Simd.INT, off + 8);
        int low = a & LOW6;
        int high = (c & LOW4) | (((a >>> 6) & LOW2) << 4);
        return (low & 0xffffffffL) | ((long) high << 32);
    }

    /** The eight mins, packed as {@link #scales}. */
    static long mins(MemorySegment seg, long off) {
        int b = seg.get(Simd.INT, off + 4), c = seg.get(Simd.INT, off + 8);
        int low = b & LOW6;
        int high = ((c >>> 4) & LOW4) | (((b >>> 6) & LOW2) << 4);
        return (low & 0xffffffffL) | ((long) high << 32);
    }

    /** Entry j (0..7) of a packed long from {@link #scales} or {@link #mins}. */
    static int entry(long packed, int j) {
        return (int) (packed >>> (8 * j)) & 0xff;
    }

    /**
     * 512 bits (else nothing): the factors of a row of super-blocks of blockBytes each (Q4_K, Q5_K), 16 a
     * super-block by {@link #factors16}, into s.factors; slot 1 (the second row of a two-row dot)
     * after slot 0's, at 16 * (cols / 256).
     */
    static void rowFactors(MemorySegment seg, long rowOff, int cols, int blockBytes, RowScratch s, int slot) {
        if (!WIDE) return;
        int nb = cols / 256, at = slot * 16 * nb;
        for (int b = 0; b < nb; b++) factors16(seg, rowOff + (long) b * blockBytes, s.factors, at + 16 * b);
    }

    /**
     * 512 bits: the factors of the super-block at off (fp16 d and dmin, then the scale field) in one
     * pass of lane operations: dst[dstOff + j] = d * scale j and dst[dstOff + 8 + j] = -(dmin * min j), j < 8, both exact
     * products. Each lane picks its field byte (and, for entries 4-7, the byte with its top two bits)
     * with a constant permute, then shifts and masks per lane; the scales come from one broadcast
     * int: the fp16 bits moved into a float's exponent and mantissa read as the value times 2^-112
     * (exact), which the 2^112 in the constant factor undoes. Replaces 16 scalar unpack-convert-multiply steps.
     */
    static void factors16(MemorySegment seg, long off, float[] dst, int dstOff) {
        IntVector b = Simd.ubytesToInts(seg, off + 4);
        IntVector low = b.rearrange(PRIMARY).lanewise(VectorOperators.LSHR, PRIMARY_SHIFT).and(PRIMARY_MASK);
        IntVector top = b.rearrange(TOP_BITS).lanewise(VectorOperators.LSHR, 2).and(TOP_MASK);
        FloatVector entries = (FloatVector) low.or(top).convert(VectorOperators.I2F, 0);
        IntVector halves = IntVector.broadcast(Simd.I, seg.get(Simd.INT, off)).lanewise(VectorOperators.LSHL, HALF_SHIFT);
        FloatVector tiny = halves.lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats();
        entries.mul(tiny.mul(SIGNED_2_POW_112)).intoArray(dst, dstOff);
    }

    private static IntVector ints(int... v) {
        return IntVector.fromArray(IntVector.SPECIES_512, v, 0);
    }

    private static final boolean WIDE = Simd.I.length() == 16;
    // Lanes 0-7 scales, 8-15 mins. Entry j < 4: low 6 bits of byte j (scales) or j + 4 (mins); entry j >= 4:
    // low (scales) or high (mins) nibble of byte j + 4, topped by the high 2 bits of byte j - 4 (scales) or j (mins).
    private static final VectorShuffle<Integer> PRIMARY = WIDE ? VectorShuffle.fromValues(IntVector.SPECIES_512,
            0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11) : null;
    private static final VectorShuffle<Integer> TOP_BITS = WIDE ? VectorShuffle.fromValues(IntVector.SPECIES_512,
            0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 7) : null;
    private static final IntVector PRIMARY_SHIFT = WIDE ? ints(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4) : null;
    private static final IntVector PRIMARY_MASK = WIDE ? ints(63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15) : null;
    private static final IntVector TOP_MASK = WIDE ? ints(0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30, 0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30) : null;
    // d is the low half of the int at off (moved to the top by 16), dmin the high half (already there).
    private static final IntVector HALF_SHIFT = WIDE ? ints(16, 16, 16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0) : null;
    private static final FloatVector SIGNED_2_POW_112 = WIDE ? FloatVector.fromArray(FloatVector.SPECIES_512, new float[] {
            0x1p112f, 0x1p112f, 0x1p112f, 0x1p112f, 0x1p112f, 0x1p112f, 0x1p112f, 0x1p112f,
            -0x1p112f, -0x1p112f, -0x1p112f, -0x1p112f, -0x1p112f, -0x1p112f, -0x1p112f, -0x1p112f}, 0) : null;

    /** Unpacks the scales into sc[0..8) and the mins into m[0..8). */
    static void unpack(MemorySegment seg, long off, int[] sc, int[] m) {
        long scales = scales(seg, off), mins = mins(seg, off);
        for (int j = 0; j < 8; j++) {
            sc[j] = entry(scales, j);
            m[j] = entry(mins, j);
        }
    }

    /** Packs 6-bit scales ls[0..8) and mins lm[0..8) into 12 bytes at out[0..12). */
    static void pack(int[] ls, int[] lm, byte[] out) {
        java.util.Arrays.fill(out, 0, 12, (byte) 0);
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                out[j] = (byte) ls[j];
                out[j + 4] = (byte) lm[j];
            } else {
                out[j + 4] = (byte) ((ls[j] & 0xf) | ((lm[j] & 0xf) << 4));
                out[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                out[j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
    }
}
