package dev.edgebox.engine.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sets of Unicode scalar values as sorted inclusive ranges [lo0, hi0, lo1, hi1, ...]. Surrogates
 * are removed everywhere, so a set always describes characters that have a UTF-8 form.
 */
final class CodepointSet {
    static final int MAX = 0x10FFFF;
    static final int[] ALL = normalize(new int[] {0, MAX});

    private CodepointSet() {}

    /** Sorts, merges overlapping or adjacent ranges and cuts out the surrogates. */
    static int[] normalize(int[] ranges) {
        if (ranges.length % 2 != 0) throw new IllegalArgumentException("ranges come in pairs");
        int n = ranges.length / 2;
        long[] packed = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, ranges[2 * i]), hi = Math.min(MAX, ranges[2 * i + 1]);
            if (lo <= hi) packed[k++] = (long) lo << 32 | hi;
        }
        Arrays.sort(packed, 0, k);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int lo = (int) (packed[i] >>> 32), hi = (int) packed[i];
            int[] last = out.isEmpty() ? null : out.getLast();
            if (last != null && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
            else out.add(new int[] {lo, hi});
        }
        List<Integer> flat = new ArrayList<>();
        for (int[] r : out) {
            // Cut U+D800..U+DFFF out of each range.
            if (r[1] < 0xD800 || r[0] > 0xDFFF) {
                flat.add(r[0]);
                flat.add(r[1]);
                continue;
            }
            if (r[0] < 0xD800) {
                flat.add(r[0]);
                flat.add(0xD7FF);
            }
            if (r[1] > 0xDFFF) {
                flat.add(0xE000);
                flat.add(r[1]);
            }
        }
        return flat.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] of(int... codepoints) {
        int[] r = new int[codepoints.length * 2];
        for (int i = 0; i < codepoints.length; i++) r[2 * i] = r[2 * i + 1] = codepoints[i];
        return normalize(r);
    }

    static int[] complement(int[] set) {
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < set.length; i += 2) {
            if (set[i] > next) {
                out.add(next);
                out.add(set[i] - 1);
            }
            next = set[i + 1] + 1;
        }
        if (next <= MAX) {
            out.add(next);
            out.add(MAX);
        }
        return normalize(out.stream().mapToInt(Integer::intValue).toArray());
    }

    static int[] union(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return normalize(both);
    }

    static int[] intersect(int[] a, int[] b) {
        return complement(union(complement(a), complement(b)));
    }

    static int[] minus(int[] a, int[] b) {
        return intersect(a, complement(b));
    }

    static boolean contains(int[] set, int c) {
        for (int i = 0; i < set.length; i += 2) if (c >= set[i] && c <= set[i + 1]) return true;
        return false;
    }

    static boolean isEmpty(int[] set) {
        return set.length == 0;
    }

    /** How many code points the set holds. */
    static long size(int[] set) {
        long n = 0;
        for (int i = 0; i < set.length; i += 2) n += set[i + 1] - set[i] + 1L;
        return n;
    }
}
