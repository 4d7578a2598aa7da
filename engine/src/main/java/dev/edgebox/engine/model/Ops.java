package dev.edgebox.engine.model;

import static dev.edgebox.engine.tensor.Simd.F;

import dev.edgebox.engine.tensor.Exp;
import jdk.incubator.vector.FloatVector;

/** Element-wise steps of the decoder, written to follow ggml's float semantics. */
final class Ops {
    private Ops() {}

    /** out = x / rms(x) * weight, over n elements; the sum of squares is kept in double as ggml does. */
    static void rmsNorm(float[] x, int xOff, float[] weight, float eps, float[] out, int outOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sum += v * v;
        }
        float mean = (float) (sum / n);
        float scale = 1.0f / (float) Math.sqrt(mean + eps);
        for (int i = 0; i < n; i++) out[outOff + i] = (x[xOff + i] * scale) * weight[i];
    }

    static void add(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) x[xOff + i] += y[yOff + i];
    }

    /** gate = silu(gate) * up, as ggml's swiglu (which also takes e^x from a polynomial, not libm). */
    static void swiglu(float[] gate, float[] up, int n) {
        swiglu(gate, up, 0, n);
    }

    /**
     * As {@link #swiglu(float[], float[], int)} over [from, from + n): e^-g from {@link Exp} into a
     * per-thread scratch (Math.exp cost ~16 ns an element, most of a batched step's element-wise
     * time), then g / (1 + e^-g) * up a vector at a time, pieces of {@link #PIECE} elements.
     */
    static void swiglu(float[] gate, float[] up, int from, int n) {
        float[] e = SCRATCH.get();
        for (int p = from, end = from + n; p < end; p += PIECE) {
            int m = Math.min(PIECE, end - p);
            for (int j = 0; j < m; j++) e[j] = -gate[p + j];
            Exp.expShifted(e, 0, m, 0f);
            int j = 0;
            for (; j + F.length() <= m; j += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gate, p + j);
                g.div(FloatVector.fromArray(F, e, j).add(1f)).mul(FloatVector.fromArray(F, up, p + j)).intoArray(gate, p + j);
            }
            for (; j < m; j++) gate[p + j] = gate[p + j] / (e[j] + 1f) * up[p + j];
        }
    }

    /** Elements of SwiGLU per piece: the exponentials of one piece stay in L1. */
    private static final int PIECE = 512;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[PIECE]);

    /**
     * In-place softmax of x[off..off + n) after multiplying by scale; e^x from {@link Exp} a vector at
     * a time (prefill runs it over every earlier position of every head: ~40M exponentials for a
     * 512-token prompt), the sum kept in double and added in element order.
     */
    static void softmax(float[] x, int off, int n, float scale) {
        int end = off + n;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < end; i++) {
            x[i] *= scale;
            max = Math.max(max, x[i]);
        }
        Exp.expShifted(x, off, n, max);
        double sum = 0;
        for (int i = off; i < end; i++) sum += x[i];
        float inv = (float) (1.0 / sum);
        for (int i = off; i < end; i++) x[i] *= inv;
    }
}
