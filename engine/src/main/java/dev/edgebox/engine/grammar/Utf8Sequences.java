package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a set of code points into the UTF-8 byte patterns that encode exactly those characters:
 * each pattern is a sequence of byte ranges, one per byte, such as [E1-EC][80-BF][80-BF]. The
 * matcher then works on bytes alone. A code point range is split where the encoding length
 * changes and where a range would not fill its continuation bytes, so every pattern is a plain
 * product of byte ranges.
 */
final class Utf8Sequences {
    private Utf8Sequences() {}

    /** The patterns for a code point set; each pattern is [lo0, hi0, lo1, hi1, ...] over bytes. */
    static List<int[]> of(int[] codepointRanges) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < codepointRanges.length; i += 2) split(codepointRanges[i], codepointRanges[i + 1], out);
        return out;
    }

    private static void split(int lo, int hi, List<int[]> out) {
        int[] lengthEnds = {0x7F, 0x7FF, 0xFFFF};
        for (int end : lengthEnds) {
            if (lo <= end && hi > end) {
                split(lo, end, out);
                split(end + 1, hi, out);
                return;
            }
        }
        if (hi <= 0x7F) {
            out.add(new int[] {lo, hi});
            return;
        }
        for (int i = 1; i < 4; i++) {
            int m = (1 << (6 * i)) - 1; // the bits held by the last i continuation bytes
            if ((lo & ~m) != (hi & ~m)) {
                if ((lo & m) != 0) {
                    split(lo, lo | m, out);
                    split((lo | m) + 1, hi, out);
                    return;
                }
                if ((hi & m) != m) {
                    split(lo, (hi & ~m) - 1, out);
                    split(hi & ~m, hi, out);
                    return;
                }
            }
        }
        byte[] a = encode(lo), b = encode(hi);
        int[] pattern = new int[a.length * 2];
        for (int k = 0; k < a.length; k++) {
            pattern[2 * k] = a[k] & 0xFF;
            pattern[2 * k + 1] = b[k] & 0xFF;
        }
        out.add(pattern);
    }

    static byte[] encode(int cp) {
        if (cp < 0x80) return new byte[] {(byte) cp};
        if (cp < 0x800) return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
        if (cp < 0x10000) {
            return new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
        }
        return new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F), (byte) (0x80 | cp >> 6 & 0x3F),
                (byte) (0x80 | cp & 0x3F)};
    }
}
