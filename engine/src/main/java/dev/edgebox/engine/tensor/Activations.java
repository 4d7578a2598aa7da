package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Input rows of a mat-mul converted to one {@link ActivationFormat}. Buffers grow as needed and are
 * reused, so the decode loop does not allocate. Layout is row-major: row t of {@code cols} elements
 * starts at {@code t * cols} in {@link #f} or {@link #q}, its block scales at {@code t * cols / blockSize}.
 */
public final class Activations {
    private final ActivationFormat format;
    private int cols;
    private int rows;

    /** F32, F16 and BF16 formats: the (rounded) values. */
    public float[] f = new float[0];
    /** Q8 formats: the quantized values. */
    public byte[] q = new byte[0];
    /** Q8 formats: {@link #q} as floats, see {@link #qf()}. */
    private final Derived qf = new Derived() {
        @Override
        void fill(float[] dst, int n) {
            for (int i = 0; i < n; i++) dst[i] = q[i];
        }
    };
    /** F16: {@link #f} times 2^112, see {@link #halvesTimes2Pow112()}. */
    private final Derived f112 = new Derived() {
        @Override
        void fill(float[] dst, int n) {
            for (int i = 0; i < n; i++) dst[i] = f[i] * 0x1p112f;
        }
    };
    /**
     * Q8_0 and Q8_K: the values the quantized weights are multiplied with, d * q per element (exactly
     * the numbers ggml's integer dot products stand for), so kernels run float FMAs on decoded weights.
     */
    public float[] dq = new float[0];
    /** Q8 formats: one scale per block. */
    public float[] d = new float[0];
    /** Q8_1: d * sum(q) per block, rounded to fp16. */
    public float[] s = new float[0];
    /** Q8_K: sums of q over each 16 elements, 16 per block. */
    public short[] bsums = new short[0];

    /** The rows of {@link #quadsOf} in {@link FloatDot#toQuads}'s layout, once asked for after a {@link #set}. */
    private MemorySegment quads = MemorySegment.NULL;
    private float[] quadsOf;
    /** The rows of {@link #octetsOf} in {@link #octets}' layout. */
    private float[] octets = new float[0];
    private float[] octetsOf;

    public Activations(ActivationFormat format) {
        this.format = format;
    }

    public ActivationFormat format() {
        return format;
    }

    public int cols() {
        return cols;
    }

    public int rows() {
        return rows;
    }

    /** Converts {@code rows} rows of {@code cols} floats from src (row stride {@code cols}) into this format. */
    public Activations set(float[] src, int srcOffset, int rows, int cols) {
        return set(null, src, srcOffset, rows, cols);
    }

    /** As {@link #set(float[], int, int, int)}, rows split across the pool (null: this thread). */
    public Activations set(Parallel pool, float[] src, int srcOffset, int rows, int cols) {
        if (cols % format.blockSize != 0) {
            throw new IllegalArgumentException(format + " needs rows of a multiple of " + format.blockSize + " elements, got " + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.quadsOf = null;
        this.octetsOf = null;
        qf.stale();
        f112.stale();
        int n = rows * cols;
        int blocks = n / format.blockSize;
        switch (format) {
            case F32, F16, BF16 -> ensureF(n);
            case Q8_0, Q8_1 -> {
                ensureQ(n, blocks);
                if (format == ActivationFormat.Q8_1 && s.length < blocks) s = new float[blocks];
            }
            case Q8_K -> {
                ensureQ(n, blocks);
                if (bsums.length < blocks * 16) bsums = new short[blocks * 16];
            }
        }
        // Blocks are independent, so any split gives the same values; a split by blocks rather than
        // rows lets the pool share even a single row (decode), which one thread would convert alone.
        if (pool == null) convertBlocks(src, srcOffset, 0, blocks);
        else pool.forRange(blocks, Math.max(1, MIN_CHUNK / format.blockSize), (b0, b1) -> convertBlocks(src, srcOffset, b0, b1));
        return this;
    }

    /**
     * Q8 formats: the quantized values {@link #q} as floats. Kernels that multiply them with small
     * integer weights in float lanes (Q4_1, Q5_1, Q2_K, Q3_K) get ggml's integer dot product exactly,
     * as every product and block sum is an integer below 2^24. Built on first use after each
     * {@link #set}, like {@link #quads}: the other kernels use {@link #dq}, and a copy nobody reads
     * cost 4 bytes an element (2 MB at 64 tokens of 8192 columns) on every conversion.
     */
    public float[] qf() {
        return qf.get(rows * cols);
    }

    /**
     * F16: the values {@link #f} times 2^112, exactly (fp16 values are below 2^16, so no product
     * overflows). The F16 one-token kernels multiply them with weights converted to floats 2^112
     * times too small, which saves a multiply a vector of weights; each product is the same real
     * number, so it rounds the same. Built on first use after each {@link #set}, like {@link #qf()}.
     */
    public float[] halvesTimes2Pow112() {
        return f112.get(rows * cols);
    }

    /**
     * Values derived from the converted rows, built on first use after each {@link #set} by whichever
     * thread of a mat-mul asks first (all of them read it), in a buffer reused across sets.
     */
    private abstract static class Derived {
        private float[] values = new float[0];
        private volatile boolean fresh;

        /** Writes the first n derived values into dst. */
        abstract void fill(float[] dst, int n);

        /** The rows changed: the next {@link #get} rebuilds. */
        final void stale() {
            fresh = false;
        }

        final float[] get(int n) {
            if (fresh) return values; // the kernels ask once per row: no lock once built
            synchronized (this) {
                if (!fresh) {
                    if (values.length < n) values = new float[n];
                    fill(values, n);
                    fresh = true;
                }
                return values;
            }
        }
    }

    /**
     * The rows of values ({@link #f} or {@link #dq}) with each four consecutive rows interleaved for
     * the 4x4 prefill kernel ({@link FloatDot#toQuads}; rows past the last whole four are left out).
     * Built on first use after each {@link #set}, by whichever thread of a mat-mul asks first: all of
     * them read it. Needs a multiple of {@link FloatDot#GROUP} columns.
     */
    synchronized MemorySegment quads(float[] values) {
        if (quadsOf != values) {
            if (quads.byteSize() < 4L * rows * cols) quads = FloatDot.aligned(rows * cols);
            for (int t = 0; t + 4 <= rows; t += 4) FloatDot.toQuads(values, t * cols, cols, quads, 4L * t * cols);
            quadsOf = values;
        }
        return quads;
    }

    /**
     * The rows of values (at most {@link DecodingType#SMALL_BATCH}) for {@link DecodingType#dot8},
     * interleaved by 32-column blocks: block b of row k at 256 b + 32 k, so the kernel reads all eight
     * rows from one index plus constants. Rows past the last are zeros. Built on first use after each
     * {@link #set}, like {@link #quads}.
     */
    synchronized float[] octets(float[] values) {
        if (rows > 8) throw new IllegalStateException("octets hold at most 8 rows, not " + rows);
        if (octetsOf != values) {
            if (octets.length < 8 * cols) octets = new float[8 * cols];
            for (int k = 0; k < 8; k++) {
                for (int b = 0, to = 32 * k; b < cols; b += 32, to += 256) {
                    if (k < rows) System.arraycopy(values, k * cols + b, octets, to, 32);
                    else Arrays.fill(octets, to, to + 32, 0f);
                }
            }
            octetsOf = values;
        }
        return octets;
    }

    /** Elements converted per thread at least: smaller pieces cost more to hand over than to convert. */
    private static final int MIN_CHUNK = 1024;

    /** Converts blocks [b0, b1) of the rows (row after row, blocks never straddle rows). */
    private void convertBlocks(float[] src, int srcOffset, int b0, int b1) {
        int from = b0 * format.blockSize, to = b1 * format.blockSize;
        switch (format) {
            case F32 -> System.arraycopy(src, srcOffset + from, f, from, to - from);
            case F16 -> {
                for (int i = from; i < to; i++) f[i] = Float.float16ToFloat(Float.floatToFloat16(src[srcOffset + i]));
            }
            case BF16 -> {
                for (int i = from; i < to; i++) f[i] = Bf16.toFloat(Bf16.fromFloat(src[srcOffset + i]));
            }
            case Q8_0, Q8_1 -> {
                for (int b = b0; b < b1; b++) Q8Blocks.q8_0(src, srcOffset + b * 32, b, format == ActivationFormat.Q8_1, this);
            }
            case Q8_K -> {
                for (int b = b0; b < b1; b++) Q8Blocks.q8_K(src, srcOffset + b * 256, b, this);
            }
        }
    }

    private void ensureF(int n) {
        if (f.length < n) f = new float[n];
    }

    private void ensureQ(int n, int blocks) {
        if (q.length < n) {
            q = new byte[n];
            dq = new float[n];
        }
        if (d.length < blocks) d = new float[blocks];
    }
}
