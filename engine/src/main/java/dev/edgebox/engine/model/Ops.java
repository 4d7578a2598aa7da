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
     * As {@link #swiglu(float[], float[], int)} over [from, from + n), a vector at a time, with
     * {@link Exp} (Math.exp cost ~16 ns an element, most of a batched step's element-wise time); the
     * elements past the last whole vector take Exp's scalar twin, so every element gets the same bits
     * wherever the range starts.
     */
    static void swiglu(float[] gate, float[] up, int from, int n) {
        int i = from, end = from + n;
        for (; i + F.length() <= end; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            g.div(Exp.exp(g.neg()).add(1f)).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        for (; i < end; i++) {
            float g = gate[i];
            gate[i] = g / (Exp.exp(-g) + 1f) * up[i];
        }
    }

    /**
     * In-place softmax of x[0..n) after multiplying by scale; e^x from {@link Exp} a vector at a time
     * (prefill runs it over every earlier position of every head: ~40M exponentials for a
     * 512-token prompt), the sum kept in double and added in element order.
     */
    static void softmax(float[] x, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] *= scale;
            max = Math.max(max, x[i]);
        }
        int i = 0;
        for (; i + F.length() <= n; i += F.length()) Exp.exp(FloatVector.fromArray(F, x, i).sub(max)).intoArray(x, i);
        for (; i < n; i++) x[i] = Exp.exp(x[i] - max);
        double sum = 0;
        for (i = 0; i < n; i++) sum += x[i];
        float inv = (float) (1.0 / sum);
        for (i = 0; i < n; i++) x[i] *= inv;
    }
}
