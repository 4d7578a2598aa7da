package dev.edgebox.engine.tensor;

import java.util.EnumMap;

/**
 * The input rows of one or more mat-muls, converted lazily to each {@link ActivationFormat} that the
 * weights ask for. Q, K and V projections of one layer share one input; with mixed quant types
 * (Q4_K_M files) each format is computed once. Buffers are reused across calls.
 */
public final class MatmulInput {
    private static final String[] CONVERT = java.util.Arrays.stream(ActivationFormat.values())
            .map(f -> "convert input to " + f.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
    private final EnumMap<ActivationFormat, Activations> converted = new EnumMap<>(ActivationFormat.class);
    private final EnumMap<ActivationFormat, Boolean> fresh = new EnumMap<>(ActivationFormat.class);
    private float[] src;
    private int rows;
    private int cols;

    /** Points at new input rows (rows x cols floats, row stride cols); earlier conversions are dropped. */
    public MatmulInput set(float[] src, int rows, int cols) {
        this.src = src;
        this.rows = rows;
        this.cols = cols;
        fresh.clear();
        return this;
    }

    public int rows() {
        return rows;
    }

    /** The input in the given format, converting it on first use. */
    public Activations as(ActivationFormat format) {
        return as(null, format);
    }

    /** As {@link #as(ActivationFormat)}, converting rows in parallel on the pool (null: this thread). */
    public Activations as(Parallel pool, ActivationFormat format) {
        Activations a = converted.computeIfAbsent(format, Activations::new);
        if (fresh.get(format) == null) {
            long t0 = Profile.start();
            a.set(pool, src, 0, rows, cols);
            Profile.stop(CONVERT[format.ordinal()], t0, 0);
            fresh.put(format, Boolean.TRUE);
        }
        return a;
    }

    /** out[t * m.rows() + r] = m row r . input row t. */
    public void multiply(Parallel pool, Matrix m, float[] out) {
        m.multiply(pool, as(pool, m.type().activationFormat()), rows, out);
    }

    private Activations[] inputs = new Activations[0];

    /**
     * As {@link #multiply(Parallel, Matrix, float[])} for several matrices of the same input (Q, K and
     * V; gate and up) in one job for the pool: one hand-off instead of one per matrix, which matters
     * in decode, where a small matrix takes less time than waking the other threads.
     */
    public void multiply(Parallel pool, Matrix[] ms, float[][] outs) {
        if (inputs.length < ms.length) inputs = new Activations[ms.length];
        Activations[] in = inputs;
        int total = 0;
        long maxRowBytes = 1;
        for (int i = 0; i < ms.length; i++) {
            in[i] = as(pool, ms[i].type().activationFormat());
            total += ms[i].rows();
            maxRowBytes = Math.max(maxRowBytes, ms[i].type().rowBytes(ms[i].cols()));
        }
        int nTok = rows;
        long t0 = Profile.start();
        pool.forRange(total, Matrix.minChunk(maxRowBytes), (start, end) -> {
            int first = 0;
            for (int i = 0; i < ms.length && first < end; i++) {
                Matrix m = ms[i];
                int lo = Math.max(start, first), hi = Math.min(end, first + m.rows());
                if (lo < hi) m.type().matmul(m.data(), m.cols(), in[i], nTok, outs[i], 0, m.rows(), lo - first, hi - first);
                first += m.rows();
            }
        });
        if (Profile.enabled()) {
            StringBuilder name = new StringBuilder();
            long bytes = 0;
            for (Matrix m : ms) {
                name.append(name.isEmpty() ? "" : "+").append(m.profileName());
                bytes += m.data().byteSize();
            }
            Profile.stop(name.toString(), t0, bytes);
        }
    }
}
