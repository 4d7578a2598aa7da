package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Entries 0-3
 * sit in the low 6 bits of bytes 0-3 (scales) and 4-7 (mins); entries 4-7 keep their low 4 bits in
 * bytes 8-11 and their top 2 bits in the spare high bits of bytes 0-7 (ggml's get_scale_min_k4).
 */
final class KScales {
    private KScales() {}

    /** Unpacks the scales into sc[0..8) and the mins into m[0..8). */
    static void unpack(MemorySegment seg, long off, int[] sc, int[] m) {
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                sc[j] = seg.get(Simd.BYTE, off + j) & 63;
                m[j] = seg.get(Simd.BYTE, off + j + 4) & 63;
            } else {
                int lowBits = seg.get(Simd.BYTE, off + j + 4) & 0xff;
                sc[j] = (lowBits & 0xf) | (((seg.get(Simd.BYTE, off + j - 4) & 0xff) >> 6) << 4);
                m[j] = (lowBits >> 4) | (((seg.get(Simd.BYTE, off + j) & 0xff) >> 6) << 4);
            }
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
