package dev.edgebox.server.config;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Everything {@code edgebox serve} can be told, from flags or the YAML config file (same names,
 * flags win). {@link ConfigLoader} builds it; every value was checked on the way in.
 *
 * @param modelName     the name clients use for the model (default: the file name without .gguf)
 * @param parallel      slots: requests generated at once
 * @param ctx           context length per slot (0 = the model's, up to 4096)
 * @param batch         tokens per forward pass at most (prompt chunks and the batched decode step)
 * @param maxTokens     tokens a request may generate at most, and the default when it does not say
 * @param queueSize     requests that may wait for a slot before the server answers 429/503
 * @param memoryBudget  bytes the KV caches of all slots may take at most (0 = no limit)
 * @param accessLog     "stderr", "off" or a file to append JSON lines to
 * @param kbDir         knowledge bases to serve at /v1/kb (null = the default location)
 * @param kbOff         true when knowledge-base routes are turned off
 * @param tasksDir      task files to serve next to the built-in tasks (null = built-ins only)
 * @param adapterDir    the LoRA adapter store served at /v1/adapters (null = off: no stored adapters)
 * @param loras         adapters given at start-up, {@code [NAME=]PATH_OR_STORED_NAME[:scale]}
 */
public record ServeConfig(
        Path model,
        String modelName,
        String host,
        int port,
        int parallel,
        int ctx,
        int threads,
        int batch,
        KvCache.Type kvType,
        int maxTokens,
        int queueSize,
        Duration requestTimeout,
        Duration shutdownTimeout,
        long maxBodyBytes,
        long memoryBudget,
        List<String> apiKeys,
        Path apiKeysFile,
        String accessLog,
        Path kbDir,
        boolean kbOff,
        Path tasksDir,
        Path adapterDir,
        List<String> loras) {

    public static final int DEFAULT_PORT = 8080;

    public ModelOptions modelOptions() {
        return new ModelOptions(threads, ctx, kvType, batch);
    }

    /** The name clients use: the configured one or the file name without its extension. */
    public String servedName() {
        if (modelName != null && !modelName.isBlank()) return modelName;
        String file = model.getFileName().toString();
        return file.toLowerCase(Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    /** Bytes per token of one sequence's KV cache. */
    public static long kvBytesPerToken(ModelConfig c, KvCache.Type type) {
        return 2L * c.layers() * c.kvDim() * (type == KvCache.Type.F16 ? 2 : 4);
    }

    /**
     * Checks that the KV caches of all slots (and the embedding scratch) fit the memory budget at
     * full context.
     *
     * @throws EngineException naming the sizes and what to lower
     */
    public void checkMemory(ModelConfig c, int contextLength) {
        if (memoryBudget <= 0) return;
        long perToken = kvBytesPerToken(c, kvType);
        long need = (parallel + 1L) * contextLength * perToken;
        if (need > memoryBudget) {
            throw new EngineException("the KV caches need up to " + Units.human(need) + " (" + parallel + " slots + 1 for embeddings x "
                    + contextLength + " tokens x " + Units.human(perToken) + ") but memory-budget is " + Units.human(memoryBudget)
                    + "; lower parallel or ctx, use kv-type f16, or raise memory-budget");
        }
    }
}
