package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

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
