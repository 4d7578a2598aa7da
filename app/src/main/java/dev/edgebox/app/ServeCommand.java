package dev.edgebox.app;

import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import dev.edgebox.server.config.ServeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgebox serve}: the model over OpenAI- and Ollama-compatible HTTP APIs until SIGTERM or
 * Ctrl-C, which drain it gracefully. Every flag can also be set in the YAML file given with
 * --config (same names); flags win.
 */
@Command(name = "serve", sortOptions = false,
        description = {"Serve the model over OpenAI- and Ollama-compatible HTTP APIs (continuous batching, metrics, API keys).",
                "Every option can also be set in a YAML file (--config), under the option's long name; options given here win."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: 8080).")
    Integer port;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", description = "Requests generated at once, each in its own slot (default: 4).")
    Integer parallel;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context length per slot in tokens (default: the model's, up to 4096).")
    Integer ctx;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: cores, up to 8).")
    Integer threads;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", description = "Tokens per forward pass at most (default: 64).")
    Integer batch;

    @Option(names = "--kv-type", paramLabel = "TYPE", description = "KV cache precision: f16 or f32 (default: f16).")
    String kvType;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens a request may generate at most, and the default (default: 1024).")
    Integer maxTokens;

    @Option(names = "--queue-size", paramLabel = "N", description = "Requests that may wait for a slot before 429/503 (default: 64).")
    Integer queueSize;

    @Option(names = "--request-timeout", paramLabel = "TIME", description = "Deadline of a request, queueing included, e.g. 90s, 10m (default: 10m).")
    String requestTimeout;

    @Option(names = "--shutdown-timeout", paramLabel = "TIME", description = "Time requests in flight get to finish on SIGTERM (default: 30s).")
    String shutdownTimeout;

    @Option(names = "--max-body", paramLabel = "SIZE", description = "Largest request body, e.g. 8m (default: 8m).")
    String maxBody;

    @Option(names = "--memory-budget", paramLabel = "SIZE", description = "Most memory the KV caches of all slots may take, e.g. 2g (default: no limit).")
    String memoryBudget;

    @Option(names = "--model-name", paramLabel = "NAME", description = "Name clients use for the model (default: file name without .gguf).")
    String modelName;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key clients must send as 'Authorization: Bearer KEY' (repeatable).")
    List<String> apiKeys;

    @Option(names = "--api-keys-file", paramLabel = "FILE", description = "File with one API key per line.")
    Path apiKeysFile;

    @Option(names = "--access-log", paramLabel = "WHERE", description = "stderr, off, or a file for JSON lines (default: stderr).")
    String accessLog;

    @Option(names = "--kb-dir", paramLabel = "DIR", description = "Knowledge bases served at /v1/kb (default: ~/.edgebox/kb; 'off' = none).")
    String kbDir;

    @Option(names = "--tasks-dir", paramLabel = "DIR", description = "Task files served at /v1/tasks with the built-ins (default: ~/.edgebox/tasks; 'off' = built-ins only).")
    String tasksDir;

    @Option(names = "--adapter-dir", paramLabel = "DIR",
            description = "LoRA adapter store: adapters requests pick by name, managed at /v1/adapters (default: ~/.edgebox/adapters; 'off' = none).")
    String adapterDir;

    @Option(names = "--lora", paramLabel = "[NAME=]PATH[:SCALE]",
            description = "Adapter to serve from the start (repeatable): a PEFT directory, a LoRA .gguf or a stored adapter's name;"
                    + " SCALE is the default for requests that name it (default 1).")
    List<String> loras;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with any of these settings.")
    Path configFile;

    @Option(names = "--verbose", description = "Show stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        ServeConfig config = ConfigLoader.load(configFile, flags());
        EdgeServer server = EdgeServer.open(config, System.err);
        Thread drain = new Thread(() -> {
            System.err.println("edgebox: shutting down (requests in flight get up to " + config.shutdownTimeout().toSeconds() + " s)");
            server.shutdown(config.shutdownTimeout());
            System.err.println("edgebox: stopped");
        }, "edgebox-shutdown");
        Runtime.getRuntime().addShutdownHook(drain);
        try {
            server.load();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(drain);
            server.close();
            throw e;
        }
        server.awaitStopped();
        return 0;
    }

    private Map<String, Object> flags() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("model", model == null ? null : model.toString());
        f.put("model-name", modelName);
        f.put("host", host);
        f.put("port", port);
        f.put("parallel", parallel);
        f.put("ctx", ctx);
        f.put("threads", threads);
        f.put("batch", batch);
        f.put("kv-type", kvType);
        f.put("max-tokens", maxTokens);
        f.put("queue-size", queueSize);
        f.put("request-timeout", requestTimeout);
        f.put("shutdown-timeout", shutdownTimeout);
        f.put("max-body", maxBody);
        f.put("memory-budget", memoryBudget);
        f.put("api-keys", apiKeys);
        f.put("api-keys-file", apiKeysFile == null ? null : apiKeysFile.toString());
        f.put("access-log", accessLog);
        f.put("kb-dir", kbDir);
        f.put("tasks-dir", tasksDir);
        f.put("adapter-dir", adapterDir);
        f.put("lora", loras);
        return f;
    }
}
