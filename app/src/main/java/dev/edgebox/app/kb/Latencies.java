package dev.edgebox.app.kb;

import java.util.Arrays;

/** Timings of repeated operations, summarized by nearest-rank percentiles. */
final class Latencies {
    private long[] nanos = new long[64];
    private int n;

    void add(long elapsedNanos) {
        if (n == nanos.length) nanos = Arrays.copyOf(nanos, 2 * n);
        nanos[n++] = elapsedNanos;
    }

    int count() {
        return n;
    }

    /** The p-th percentile in milliseconds, 0 < p <= 100 (nearest rank: p99 of 200 is the second worst). */
    double percentileMs(double p) {
        if (n == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * n);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    double meanMs() {
        if (n == 0) return Double.NaN;
        long sum = 0;
        for (int i = 0; i < n; i++) sum += nanos[i];
        return sum / 1e6 / n;
    }
}
