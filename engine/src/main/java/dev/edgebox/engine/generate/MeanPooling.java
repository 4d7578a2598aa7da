package dev.edgebox.engine.generate;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;

/**
 * A text embedding from a decoder: the mean of the final (output-normed) hidden states over all
 * of the text's tokens, scaled to unit length, as llama.cpp's mean pooling gives it. Hidden states
 * may arrive in chunks, so a long text is embedded in several forward passes.
 */
public final class MeanPooling {
    private final double[] sum;
    private int count;

    public MeanPooling(int dim) {
        this.sum = new double[dim];
    }

    /** Adds {@code rows} hidden states, {@code dim} floats each, from the start of {@code hidden}. */
    public void add(float[] hidden, int rows) {
        int dim = sum.length;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) sum[i] += hidden[r * dim + i];
        }
        count += rows;
    }

    /** Tokens pooled so far. */
    public int count() {
        return count;
    }

    /** The mean of the states added, L2-normalized (a zero vector stays zero). */
    public float[] embedding() {
        if (count == 0) throw new IllegalStateException("no hidden states to pool");
        double norm = 0;
        for (double v : sum) norm += (v / count) * (v / count);
        norm = Math.sqrt(norm);
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) out[i] = norm == 0 ? 0f : (float) (sum[i] / count / norm);
        return out;
    }

    /**
     * Embeds one tokenized text in forward passes of the model's batch size, using {@code scratch}
     * (emptied first) as the sequence.
     */
    public static float[] embed(Model model, KvCache scratch, int[] tokens) {
        if (tokens.length == 0) throw new EngineException("cannot embed an empty text");
        if (tokens.length > scratch.capacity()) {
            throw new EngineException("the text has " + tokens.length + " tokens but the context holds " + scratch.capacity());
        }
        scratch.truncate(0);
        MeanPooling pool = new MeanPooling(model.config().dim());
        Batch batch = new Batch(model.batchSize());
        for (int start = 0; start < tokens.length; start += model.batchSize()) {
            int end = Math.min(tokens.length, start + model.batchSize());
            batch.clear();
            for (int i = start; i < end; i++) batch.add(tokens[i], i, scratch, false);
            pool.add(model.hiddenStates(batch), end - start);
        }
        return pool.embedding();
    }
}
