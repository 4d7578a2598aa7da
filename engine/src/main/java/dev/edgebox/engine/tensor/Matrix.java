package dev.edgebox.engine.tensor;

import dev.edgebox.engine.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix in the mapped file (rows x cols, one row per output) with the kernels of its type.
 * Multiplication runs on a {@link Parallel} pool, split by rows.
 */
public final class Matrix {
    private final String name;
    private final MemorySegment data;
    private final TensorType type;
    private final int rows;
    private final int cols;
    private final String profileName;

    public Matrix(String name, MemorySegment data, TensorType type, int rows, int cols) {
        this.name = name;
        this.data = data;
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.profileName = roleOf(name) + " " + type.ggml().displayName();
    }

    /** "blk.3.ffn_up.weight" -> "ffn_up": timers add up all layers of one role. */
    private static String roleOf(String name) {
        String n = name.endsWith(".weight") ? name.substring(0, name.length() - 7) : name;
        if (n.startsWith("blk.")) n = n.substring(n.indexOf('.', 4) + 1);
        return n;
    }

    public static Matrix of(TensorInfo info) {
        return new Matrix(info.name(), info.data(), TensorTypes.of(info.type(), info.name()), info.rows(), info.columns());
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public TensorType type() {
        return type;
    }

    public MemorySegment data() {
        return data;
    }

    /** out[t * rows + r] = row r . input row t, for nTok input rows already in this type's format. */
    public void multiply(Parallel pool, Activations input, int nTok, float[] out) {
        multiply(pool, input, nTok, out, 0, rows);
    }

    /** As {@link #multiply(Parallel, Activations, int, float[])} with an explicit output offset and row stride. */
    public void multiply(Parallel pool, Activations input, int nTok, float[] out, int outOffset, int outStride) {
        if (input.format() != type.activationFormat() || input.cols() != cols) {
            throw new IllegalArgumentException(name + ": input is " + input.format() + " x " + input.cols()
                    + ", expected " + type.activationFormat() + " x " + cols);
        }
        long t0 = Profile.start();
        pool.forRange(rows, minChunk(type.rowBytes(cols)), (r0, r1) -> type.matmul(data, cols, input, nTok, out, outOffset, outStride, r0, r1));
        Profile.stop(profileName, t0, data.byteSize());
    }

    /**
     * Rows per chunk of work for the pool: at least 32 KB of weights, so a hand-off is worth its cost,
     * and a multiple of four, so prefill tiles (four rows by four tokens) never leave a pair of rows
     * to the 2x4 kernel, at half the speed, or a row to the one-row kernel.
     */
    static int minChunk(long rowBytes) {
        return (int) (Math.max(4, Math.min(1 << 20, 32768 / Math.max(1, rowBytes))) + 3) & ~3;
    }

    /** The name of this matrix's timer in {@link Profile}: role and type, e.g. "ffn_up q4_k". */
    String profileName() {
        return profileName;
    }

    /** Decodes one row into dst[dstOffset ..]. */
    public void row(int r, float[] dst, int dstOffset) {
        type.dequantize(data, (long) r * cols, dst, dstOffset, cols);
    }
}
