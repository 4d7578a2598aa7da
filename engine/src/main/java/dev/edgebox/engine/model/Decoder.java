package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.LoraDeltas;
import dev.edgebox.engine.lora.LoraTarget;
import dev.edgebox.engine.tensor.MatmulInput;
import dev.edgebox.engine.tensor.Matrix;
import dev.edgebox.engine.tensor.Parallel;
import dev.edgebox.engine.tensor.Profile;

/**
 * The forward pass of a decoder-only transformer, for every architecture in {@link Architecture}.
 * A batch of tokens goes through all layers together: every projection is one mat-mul over the
 * whole batch (weights read once per batch), attention runs per token and head against that
 * token's own sequence. Scratch buffers are sized once for the largest batch and reused.
 */
public final class Decoder {
    private static final String NORMS = "norms, residuals, swiglu", ROPE = "bias, rope, kv store", ATTENTION = "attention";
    private final ModelConfig c;
    private final ModelWeights w;
    private final Rope rope;
    private final Parallel pool;
    private final int maxBatch;

    // Scratch, [maxBatch x width] row-major.
    private final float[] x, xb, q, k, v, att, proj, gate, up;
    private final float[] cos, sin;
    private final Attention attention;
    private final MatmulInput input = new MatmulInput();
    private final LoraDeltas lora;
    // Per layer, the projections that share an input, run as one job; and where their results go.
    private final Matrix[][] qkv, gateUp;
    private final float[][] qkvOut, gateUpOut;
    private float[] logits = new float[0];

    public Decoder(ModelConfig config, ModelWeights weights, Parallel pool, int maxBatch, int maxContext) {
        this.c = config;
        this.w = weights;
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.rope = new Rope(config, weights.ropeFreqFactors);
        int n = maxBatch;
        x = new float[n * c.dim()];
        xb = new float[n * c.dim()];
        q = new float[n * c.qDim()];
        k = new float[n * c.kvDim()];
        v = new float[n * c.kvDim()];
        att = new float[n * c.qDim()];
        proj = new float[n * c.dim()];
        gate = new float[n * c.ffnDim()];
        up = new float[n * c.ffnDim()];
        cos = new float[c.ropeDims() / 2];
        sin = new float[c.ropeDims() / 2];
        attention = new Attention(config, pool.threads(), maxContext);
        lora = new LoraDeltas(config, pool, maxBatch);
        qkv = new Matrix[c.layers()][];
        gateUp = new Matrix[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            ModelWeights.Layer L = weights.layers[l];
            qkv[l] = new Matrix[] {L.wq(), L.wk(), L.wv()};
            gateUp[l] = new Matrix[] {L.gate(), L.up()};
        }
        qkvOut = new float[][] {q, k, v};
        gateUpOut = new float[][] {gate, up};
    }

    public ModelConfig config() {
        return c;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Runs the batch and returns the logits of the entries that asked for them, in batch order,
     * {@code vocabSize} floats each. The array is reused by the next call.
     */
    public float[] forward(Batch batch) {
        if (batch.size() == 0) return logits;
        runLayers(batch);
        return outputLogits(batch);
    }

    /**
     * Runs the batch and returns the final hidden state of every entry after the output norm (what
     * the output projection would read), in batch order, {@code dim} floats each: the input of
     * embeddings pooled from a decoder. The array is reused by the next call.
     */
    public float[] hiddenStates(Batch batch) {
        int n = batch.size(), dim = c.dim();
        if (n == 0) return xb;
        runLayers(batch);
        for (int i = 0; i < n; i++) Ops.rmsNorm(x, i * dim, w.outputNorm, c.rmsEps(), xb, i * dim, dim);
        return xb;
    }

    /** Embeds the batch's tokens, runs every layer and records the new positions in their sequences; leaves x. */
    private void runLayers(Batch batch) {
        int n = batch.size();
        if (n > maxBatch) throw new IllegalArgumentException("batch of " + n + " exceeds " + maxBatch);
        int dim = c.dim();
        for (int i = 0; i < n; i++) {
            KvCache seq = batch.sequence(i);
            int pos = batch.position(i);
            if (pos < 0 || pos > seq.length() + n) throw new IllegalArgumentException("position " + pos + " leaves a gap");
            seq.reserve(pos + 1);
            int token = batch.token(i);
            if (token < 0 || token >= c.vocabSize()) {
                throw new EngineException("token id " + token + " is outside the vocabulary of " + c.vocabSize());
            }
            w.tokenEmbedding.row(token, x, i * dim);
        }
        for (int l = 0; l < c.layers(); l++) layer(l, batch);
        for (int i = 0; i < n; i++) batch.sequence(i).filled(batch.position(i), batch.token(i));
    }

    private void layer(int l, Batch batch) {
        ModelWeights.Layer L = w.layers[l];
        int n = batch.size();
        int dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), hd = c.headDim();
        boolean adapted = batch.hasAdapters(); // LoRA deltas go right after each projection's shared mat-mul

        long t0 = Profile.start();
        norm(L.attnNorm(), n);
        Profile.stop(NORMS, t0, 0);
        input.set(xb, n, dim);
        input.multiply(pool, qkv[l], qkvOut);
        if (adapted) {
            lora.add(batch, l, LoraTarget.Q, xb, q);
            lora.add(batch, l, LoraTarget.K, xb, k);
            lora.add(batch, l, LoraTarget.V, xb, v);
        }

        t0 = Profile.start();
        for (int i = 0; i < n; i++) {
            if (L.bq() != null) Ops.add(q, i * qDim, L.bq(), 0, qDim);
            if (L.bk() != null) Ops.add(k, i * kvDim, L.bk(), 0, kvDim);
            if (L.bv() != null) Ops.add(v, i * kvDim, L.bv(), 0, kvDim);
            if (L.qNorm() != null) {
                for (int h = 0; h < c.heads(); h++) Ops.rmsNorm(q, i * qDim + h * hd, L.qNorm(), c.rmsEps(), q, i * qDim + h * hd, hd);
                for (int h = 0; h < c.kvHeads(); h++) Ops.rmsNorm(k, i * kvDim + h * hd, L.kNorm(), c.rmsEps(), k, i * kvDim + h * hd, hd);
            }
            rope.angles(batch.position(i), cos, sin);
            rope.apply(q, i * qDim, c.heads(), hd, cos, sin);
            rope.apply(k, i * kvDim, c.kvHeads(), hd, cos, sin);
            batch.sequence(i).store(l, batch.position(i), k, i * kvDim, v, i * kvDim);
        }
        Profile.stop(ROPE, t0, 0);

        t0 = Profile.start();
        attention.run(pool, l, batch, q, att);
        Profile.stop(ATTENTION, t0, 0);

        input.set(att, n, qDim);
        input.multiply(pool, L.wo(), proj);
        if (adapted) lora.add(batch, l, LoraTarget.O, att, proj);
        t0 = Profile.start();
        Ops.add(x, 0, proj, 0, n * dim);
        norm(L.ffnNorm(), n);
        Profile.stop(NORMS, t0, 0);
        input.set(xb, n, dim);
        input.multiply(pool, gateUp[l], gateUpOut);
        if (adapted) {
            lora.add(batch, l, LoraTarget.GATE, xb, gate);
            lora.add(batch, l, LoraTarget.UP, xb, up);
        }
        t0 = Profile.start();
        int ffn = c.ffnDim();
        // Element-wise, so split by elements: in decode (one token) both threads share the row.
        pool.forRange(n * ffn, 1024, (a, b) -> Ops.swiglu(gate, up, a, b - a));
        Profile.stop(NORMS, t0, 0);
        input.set(gate, n, c.ffnDim());
        input.multiply(pool, L.down(), proj);
        if (adapted) lora.add(batch, l, LoraTarget.DOWN, gate, proj);
        t0 = Profile.start();
        Ops.add(x, 0, proj, 0, n * dim);
        Profile.stop(NORMS, t0, 0);
    }

    /** xb = rmsNorm(x) * weight for every token of the batch, tokens split across the pool. */
    private void norm(float[] weight, int n) {
        int dim = c.dim();
        float eps = c.rmsEps();
        pool.forRange(n, 1, (a, b) -> {
            for (int i = a; i < b; i++) Ops.rmsNorm(x, i * dim, weight, eps, xb, i * dim, dim);
        });
    }

    private float[] outputLogits(Batch batch) {
        int n = batch.size(), dim = c.dim();
        int rows = 0;
        for (int i = 0; i < n; i++) {
            if (batch.wantsLogits(i)) Ops.rmsNorm(x, i * dim, w.outputNorm, c.rmsEps(), xb, rows++ * dim, dim);
        }
        if (rows == 0) return logits;
        if (logits.length < rows * c.vocabSize()) logits = new float[rows * c.vocabSize()];
        input.set(xb, rows, dim);
        input.multiply(pool, w.output, logits);
        return logits;
    }
}
