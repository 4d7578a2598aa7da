package dev.edgebox.app;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.ModelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
public final class ModelArgs {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file.")
    public Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: cores, up to 8).")
    public Integer threads;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context length in tokens (default: the model's, up to 4096).")
    public int contextLength;

    @Option(names = "--kv", paramLabel = "TYPE", description = "KV cache precision: f16 or f32 (default: ${DEFAULT-VALUE}).")
    public String kvType = "f16";

    @Option(names = {"-b", "--batch"}, paramLabel = "N", description = "Prompt tokens per forward pass (default: ${DEFAULT-VALUE}).")
    public int batchSize = ModelOptions.DEFAULT_BATCH;

    @Option(names = "--verbose", description = "Show stack traces and details.")
    public boolean verbose;

    public ModelOptions options() {
        KvCache.Type kv = switch (kvType.toLowerCase()) {
            case "f16" -> KvCache.Type.F16;
            case "f32" -> KvCache.Type.F32;
            default -> throw new EngineException("--kv must be f16 or f32, got '" + kvType + "'");
        };
        int t = threads != null ? threads : ModelOptions.defaultThreads();
        if (t < 1) throw new EngineException("--threads must be at least 1, got " + t);
        if (contextLength < 0) throw new EngineException("--ctx must be positive, got " + contextLength);
        if (batchSize < 1) throw new EngineException("--batch must be at least 1, got " + batchSize);
        return new ModelOptions(t, contextLength, kv, batchSize);
    }

    /** The model path, which must be given. */
    public Path requireModel() {
        if (model == null) throw new EngineException("no model given: pass -m FILE.gguf");
        return model;
    }

    /** The model path, or the bundled demo model when none is given (with a note on stderr). */
    public Path modelOrDemo() {
        if (model != null) return model;
        Path demo = demoModel();
        if (demo == null) throw new EngineException("no model given and the bundled demo model is missing: pass -m FILE.gguf");
        System.err.println("edgebox: no -m given, using the bundled demo model stories260K (a 260K-parameter TinyStories"
                + " model that only writes short children's stories); pass -m FILE.gguf to use your own model.");
        return demo;
    }

    static Path demoModel() {
        String home = System.getProperty("edgebox.home");
        if (home == null) return null;
        Path p = Path.of(home, "models", "stories260K", "stories260K.gguf");
        return Files.isRegularFile(p) ? p : null;
    }
}
