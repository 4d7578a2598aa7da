package dev.edgebox.engine.model;

/**
 * How to run a model: compute threads, context length (0 = the model's own, capped at
 * {@link #DEFAULT_MAX_CONTEXT} so a 128k-context model does not reserve memory it will not use),
 * KV cache precision and the largest batch of a forward pass (prompts are prefilled in chunks of it).
 */
public record ModelOptions(int threads, int contextLength, KvCache.Type kvType, int batchSize) {
    public static final int DEFAULT_MAX_CONTEXT = 4096;
    public static final int DEFAULT_BATCH = 64;

    public static ModelOptions defaults() {
        return new ModelOptions(defaultThreads(), 0, KvCache.Type.F16, DEFAULT_BATCH);
    }

    /** All cores of this machine up to 8: decode is memory bound, more threads rarely help. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    public ModelOptions withThreads(int t) {
        return new ModelOptions(t, contextLength, kvType, batchSize);
    }

    public ModelOptions withContextLength(int n) {
        return new ModelOptions(threads, n, kvType, batchSize);
    }

    public ModelOptions withKvType(KvCache.Type t) {
        return new ModelOptions(threads, contextLength, t, batchSize);
    }

    public ModelOptions withBatchSize(int b) {
        return new ModelOptions(threads, contextLength, kvType, b);
    }
}
