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
        Activations a = converted.computeIfAbsent(format, Activations::new);
        if (fresh.get(format) == null) {
            long t0 = Profile.start();
            a.set(src, 0, rows, cols);
            Profile.stop(CONVERT[format.ordinal()], t0, 0);
            fresh.put(format, Boolean.TRUE);
        }
        return a;
    }

    /** out[t * m.rows() + r] = m row r . input row t. */
    public void multiply(Parallel pool, Matrix m, float[] out) {
        m.multiply(pool, as(m.type().activationFormat()), rows, out);
    }
}
