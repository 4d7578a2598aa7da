package dev.edgebox.engine.model;

/**
 * Rotary position embedding as ggml computes it: theta starts at the position and is multiplied by
 * base^(-2/n) per pair in float (ggml's iteration, kept for bit-closeness), divided by optional
 * per-pair frequency factors and scaled by the linear frequency scale.
 */
final class Rope {
    private final Architecture.RopeStyle style;
    private final int dims;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;

    Rope(ModelConfig c, float[] freqFactors) {
        this.style = c.architecture().rope;
        this.dims = c.ropeDims();
        this.thetaScale = (float) Math.pow(c.ropeBase(), -2.0 / dims);
        this.freqScale = c.ropeFreqScale();
        this.freqFactors = freqFactors;
    }

    /** Fills cos/sin tables (dims/2 entries each) for a position. */
    void angles(int pos, float[] cos, float[] sin) {
        float theta = pos;
        for (int i = 0; i < dims / 2; i++) {
            float ff = freqFactors != null ? freqFactors[i] : 1f;
            float t = freqScale * (theta / ff);
            cos[i] = (float) Math.cos(t);
            sin[i] = (float) Math.sin(t);
            theta *= thetaScale;
        }
    }

    /** Rotates {@code heads} consecutive heads of size headDim in x starting at off. */
    void apply(float[] x, int off, int heads, int headDim, float[] cos, float[] sin) {
        int half = dims / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a, b;
                if (style == Architecture.RopeStyle.NORMAL) {
                    a = base + 2 * i;
                    b = a + 1;
                } else {
                    a = base + i;
                    b = base + i + half;
                }
                float x0 = x[a], x1 = x[b];
                x[a] = x0 * cos[i] - x1 * sin[i];
                x[b] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }
}
