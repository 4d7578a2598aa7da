package dev.edgebox.engine.lora;

/**
 * One adapted projection: delta W = scale * B A with A [rank x in] and B [out x rank], kept in
 * float32 so the unmerged result equals the merged one. B is stored transposed ([rank x out]) because
 * the decoder adds each of its columns to a whole output row in one vector loop.
 *
 * @param scale alpha / rank (alpha / sqrt(rank) for rsLoRA); a request's own scale multiplies it
 * @param a     row-major [rank x in]
 * @param bt    row-major [rank x out]: bt[j * out + o] = B[o][j]
 */
public record LoraPair(int rank, int in, int out, float scale, float[] a, float[] bt) {

    public LoraPair {
        if (rank < 1 || in < 1 || out < 1) throw new IllegalArgumentException("bad LoRA shape " + rank + "/" + in + "/" + out);
        if (a.length != rank * in || bt.length != rank * out) throw new IllegalArgumentException("LoRA arrays do not match rank " + rank);
    }

    /** From A [rank x in] and B [out x rank] as PEFT and GGUF store them. */
    public static LoraPair fromAB(float[] a, float[] b, int rank, int in, int out, float scale) {
        if (b.length != out * rank) throw new IllegalArgumentException("B holds " + b.length + " values, expected " + out + " x " + rank);
        float[] bt = new float[rank * out];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < rank; j++) bt[j * out + o] = b[o * rank + j];
        }
        return new LoraPair(rank, in, out, scale, a, bt);
    }

    /** B [out x rank], row-major, as the files store it. */
    public float[] b() {
        float[] b = new float[out * rank];
        for (int j = 0; j < rank; j++) {
            for (int o = 0; o < out; o++) b[o * rank + j] = bt[j * out + o];
        }
        return b;
    }

    /** The same A and B with another scale. */
    public LoraPair withScale(float s) {
        return new LoraPair(rank, in, out, s, a, bt);
    }

    /** The same pair with B's rows (output rows) reordered: row o of the result is row perm[o] of this one. */
    public LoraPair withRowsFrom(int[] perm) {
        float[] p = new float[bt.length];
        for (int j = 0; j < rank; j++) {
            for (int o = 0; o < out; o++) p[j * out + o] = bt[j * out + perm[o]];
        }
        return new LoraPair(rank, in, out, scale, a, p);
    }

    public long bytes() {
        return 4L * (a.length + bt.length);
    }
}
