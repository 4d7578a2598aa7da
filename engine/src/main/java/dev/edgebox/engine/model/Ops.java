package dev.edgebox.engine.model;

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

    /** gate = silu(gate) * up, as ggml's swiglu. */
    static void swiglu(float[] gate, float[] up, int n) {
        swiglu(gate, up, 0, n);
    }

    /** As {@link #swiglu(float[], float[], int)} over [from, from + n). */
    static void swiglu(float[] gate, float[] up, int from, int n) {
        for (int i = from; i < from + n; i++) {
            float g = gate[i];
            gate[i] = g / (1.0f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** In-place softmax of x[0..n) after multiplying by scale; the sum is kept in double. */
    static void softmax(float[] x, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] *= scale;
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[i] *= inv;
    }
}
