package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.tensor.Parallel;
import java.nio.file.Path;

/**
 * A loaded model: the mapped GGUF file, its configuration and weights, a compute pool and a
 * decoder. Sequences (KV caches) are created per conversation with {@link #newSequence()}.
 * Not thread-safe: one forward pass at a time (the server batches requests into one pass).
 */
public final class Model implements AutoCloseable {
    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final ModelOptions options;
    private final int contextLength;
    private final Parallel pool;
    private final Decoder decoder;

    private Model(GgufFile file, ModelOptions options) {
        this.file = file;
        this.config = ModelConfig.from(file);
        this.weights = new ModelWeights(file, config);
        this.options = options;
        if (options.contextLength() < 0) throw new EngineException("context length must be positive, got " + options.contextLength());
        if (options.threads() < 1) throw new EngineException("threads must be at least 1, got " + options.threads());
        this.contextLength = options.contextLength() > 0
                ? options.contextLength()
                : Math.min(config.contextLength(), ModelOptions.DEFAULT_MAX_CONTEXT);
        this.pool = new Parallel(options.threads());
        this.decoder = new Decoder(config, weights, pool, Math.max(1, options.batchSize()), contextLength);
    }

    public static Model open(Path path, ModelOptions options) {
        GgufFile file = GgufFile.open(path);
        try {
            return new Model(file, options);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public GgufFile file() {
        return file;
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    public ModelOptions options() {
        return options;
    }

    /** The context length in effect (tokens a sequence may hold). */
    public int contextLength() {
        return contextLength;
    }

    public int batchSize() {
        return decoder.maxBatch();
    }

    public KvCache newSequence() {
        return KvCache.create(options.kvType(), config, contextLength);
    }

    /** One forward pass; see {@link Decoder#forward(Batch)}. */
    public float[] forward(Batch batch) {
        return decoder.forward(batch);
    }

    /** One forward pass that returns normed final hidden states instead of logits; see {@link Decoder#hiddenStates(Batch)}. */
    public float[] hiddenStates(Batch batch) {
        return decoder.hiddenStates(batch);
    }

    @Override
    public void close() {
        pool.close();
        file.close();
    }
}
