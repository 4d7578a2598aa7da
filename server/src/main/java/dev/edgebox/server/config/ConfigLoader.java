package dev.edgebox.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterSpec;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.server.tasks.TaskRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link ServeConfig} from the YAML config file and the command line: the file first,
 * then every flag that was given. Both speak the same keys (the flag names without dashes), and
 * every value is checked with a message naming the key, the value and what was expected.
 */
public final class ConfigLoader {
    /** Every key, in the order of the docs, with what it means. */
    public static final Map<String, String> KEYS = keys();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    private static Map<String, String> keys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("model", "GGUF model file (relative paths in the file are relative to the file)");
        k.put("model-name", "name clients use for the model (default: file name without .gguf)");
        k.put("host", "address to listen on (default 127.0.0.1)");
        k.put("port", "port (default 8080; 0 picks a free one)");
        k.put("parallel", "requests generated at once, each in its own slot (default 4)");
        k.put("ctx", "context length per slot in tokens (default: the model's, up to 4096)");
        k.put("threads", "compute threads (default: cores, up to 8)");
        k.put("batch", "tokens per forward pass at most (default 64)");
        k.put("kv-type", "KV cache precision: f16 or f32 (default f16)");
        k.put("max-tokens", "tokens a request may generate at most; also the default (default 1024)");
        k.put("queue-size", "requests that may wait for a slot before 429/503 (default 64)");
        k.put("request-timeout", "deadline of one request, queueing included (default 10m)");
        k.put("shutdown-timeout", "how long requests in flight may finish on SIGTERM (default 30s)");
        k.put("max-body", "largest request body (default 8m)");
        k.put("memory-budget", "bytes the KV caches of all slots may take at most (default 0 = no limit)");
        k.put("api-keys", "API keys clients must send as 'Authorization: Bearer KEY' (list)");
        k.put("api-keys-file", "file with one API key per line (# comments allowed)");
        k.put("access-log", "stderr, off, or a file to append JSON lines to (default stderr)");
        k.put("kb-dir", "knowledge bases served at /v1/kb (default ~/.edgebox/kb or $EDGEBOX_HOME/kb; off = none)");
        k.put("tasks-dir", "task files (YAML/JSON) served at /v1/tasks with the built-ins (default ~/.edgebox/tasks or $EDGEBOX_HOME/tasks; off = built-ins only)");
        k.put("adapter-dir", "LoRA adapter store served at /v1/adapters (default ~/.edgebox/adapters or $EDGEBOX_HOME/adapters; off = none)");
        k.put("lora", "adapters to serve from the start: NAME=PATH[:scale] or a stored NAME[:scale] (list; the scale is the default for requests)");
        return k;
    }

    /**
     * @param file      the YAML file, or null
     * @param overrides values from the command line, by key; null values are ignored
     */
    public static ServeConfig load(Path file, Map<String, Object> overrides) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Path base = Path.of("");
        if (file != null) {
            settings.putAll(readYaml(file));
            base = file.toAbsolutePath().getParent();
        }
        Map<String, Object> fromFlags = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (v != null) fromFlags.put(k, v);
        });
        // Paths in the file are relative to it; paths on the command line to the working directory.
        for (String key : List.of("model", "api-keys-file", "tasks-dir", "adapter-dir")) {
            if (settings.get(key) instanceof String s && !s.equals("off") && !fromFlags.containsKey(key)) settings.put(key, base.resolve(s).toString());
        }
        if (!fromFlags.containsKey("lora") && settings.containsKey("lora")) settings.put("lora", relativeTo(base, stringList(settings, "lora")));
        settings.putAll(fromFlags);
        return from(settings);
    }

    /** Adapter paths of the config file, relative to it; names of stored adapters stay as they are. */
    private static List<String> relativeTo(Path base, List<String> specs) {
        List<String> out = new ArrayList<>();
        for (String text : specs) {
            AdapterSpec spec = AdapterSpec.parse(text);
            Path p = base.resolve(spec.target());
            if (!Path.of(spec.target()).isAbsolute() && Files.exists(p)) {
                out.add((spec.name() == null ? "" : spec.name() + "=") + p + (spec.scale() == 1f ? "" : ":" + spec.scale()));
            } else {
                out.add(text);
            }
        }
        return out;
    }

    static Map<String, Object> readYaml(Path file) {
        Object root;
        try {
            root = YAML.readValue(Files.readAllBytes(file), Object.class);
        } catch (JsonProcessingException e) {
            throw new EngineException("config file " + file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new EngineException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null) return Map.of();
        if (!(root instanceof Map<?, ?> map)) throw new EngineException("config file " + file + " must be a mapping of keys to values");
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!KEYS.containsKey(key)) {
                throw new EngineException("config file " + file + " has an unknown key '" + key + "'; known keys: " + String.join(", ", KEYS.keySet()));
            }
            out.put(key, v);
        });
        return out;
    }

    /** Checks and converts settings by key (missing keys take their defaults). */
    public static ServeConfig from(Map<String, Object> s) {
        for (String key : s.keySet()) {
            if (!KEYS.containsKey(key)) throw new EngineException("unknown setting '" + key + "'; known: " + String.join(", ", KEYS.keySet()));
        }
        String model = string(s, "model", null);
        if (model == null || model.isBlank()) throw new EngineException("no model given: pass -m FILE.gguf or set 'model' in the config file");
        Path modelPath = Path.of(model);
        if (!Files.isRegularFile(modelPath)) throw new EngineException("model file " + modelPath + " does not exist");
        int parallel = integer(s, "parallel", 4, 1, 256);
        int batch = integer(s, "batch", ModelOptions.DEFAULT_BATCH, 1, 4096);
        if (parallel > batch) throw new EngineException("parallel (" + parallel + ") must not exceed batch (" + batch + "): the decode step holds one token per slot");
        String kv = string(s, "kv-type", "f16").toLowerCase(Locale.ROOT);
        KvCache.Type kvType = switch (kv) {
            case "f16" -> KvCache.Type.F16;
            case "f32" -> KvCache.Type.F32;
            default -> throw new EngineException("kv-type must be f16 or f32, got '" + kv + "'");
        };
        List<String> keys = new ArrayList<>(stringList(s, "api-keys"));
        String keysFile = string(s, "api-keys-file", null);
        if (keysFile != null) keys.addAll(readKeys(Path.of(keysFile)));
        // YAML 1.1 reads a bare off/no as false and on/yes as true.
        Object log = s.get("access-log");
        String accessLog = log instanceof Boolean b ? (b ? "stderr" : "off") : string(s, "access-log", "stderr");
        Object kb = s.get("kb-dir");
        String kbDir = kb instanceof Boolean b ? (b ? null : "off") : string(s, "kb-dir", null);
        Object tasks = s.get("tasks-dir");
        String tasksDir = tasks instanceof Boolean b ? (b ? null : "off") : string(s, "tasks-dir", null);
        Object adapters = s.get("adapter-dir");
        String adapterDir = adapters instanceof Boolean b ? (b ? null : "off") : string(s, "adapter-dir", null);
        List<String> loras = stringList(s, "lora");
        for (String spec : loras) AdapterSpec.parse(spec); // a malformed one fails here, before the model loads
        return new ServeConfig(
                modelPath,
                string(s, "model-name", null),
                string(s, "host", "127.0.0.1"),
                integer(s, "port", ServeConfig.DEFAULT_PORT, 0, 65535),
                parallel,
                integer(s, "ctx", 0, 0, 1 << 24),
                integer(s, "threads", ModelOptions.defaultThreads(), 1, 1024),
                batch,
                kvType,
                integer(s, "max-tokens", 1024, 1, 1 << 24),
                integer(s, "queue-size", 64, 0, 1 << 20),
                duration(s, "request-timeout", Duration.ofMinutes(10)),
                duration(s, "shutdown-timeout", Duration.ofSeconds(30)),
                size(s, "max-body", 8L << 20, 1024),
                size(s, "memory-budget", 0, 0),
                List.copyOf(keys),
                keysFile == null ? null : Path.of(keysFile),
                accessLog,
                kbDir == null || kbDir.equals("off") ? null : Path.of(kbDir),
                "off".equals(kbDir),
                "off".equals(tasksDir) ? null : tasksDir == null ? TaskRegistry.defaultDir() : Path.of(tasksDir),
                "off".equals(adapterDir) ? null : adapterDir == null ? AdapterStore.defaultRoot() : Path.of(adapterDir),
                List.copyOf(loras));
    }

    /** Keys from a file: one a line, blank lines and lines starting with # ignored. */
    static List<String> readKeys(Path file) {
        List<String> keys = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String k = line.strip();
                if (!k.isEmpty() && !k.startsWith("#")) keys.add(k);
            }
        } catch (IOException e) {
            throw new EngineException("cannot read api-keys-file " + file + ": " + e.getMessage());
        }
        if (keys.isEmpty()) throw new EngineException("api-keys-file " + file + " holds no key (one key per line expected)");
        return keys;
    }

    private static String string(Map<String, Object> s, String key, String fallback) {
        Object v = s.get(key);
        if (v == null) return fallback;
        if (v instanceof Map || v instanceof List) throw new EngineException(key + " must be a single value, got " + v);
        return String.valueOf(v);
    }

    private static int integer(Map<String, Object> s, String key, int fallback, int min, int max) {
        Object v = s.get(key);
        if (v == null) return fallback;
        long n;
        try {
            n = v instanceof Number num && !(v instanceof Double || v instanceof Float) ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new EngineException(key + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) throw new EngineException(key + " must be between " + min + " and " + max + ", got " + n);
        return (int) n;
    }

    private static Duration duration(Map<String, Object> s, String key, Duration fallback) {
        Object v = s.get(key);
        if (v == null) return fallback;
        Duration d = Units.duration(String.valueOf(v));
        if (d == null) throw new EngineException(key + " must be a duration such as 30s, 5m, 500ms or a number of seconds, got '" + v + "'");
        return d;
    }

    private static long size(Map<String, Object> s, String key, long fallback, long min) {
        Object v = s.get(key);
        if (v == null) return fallback;
        Long b = Units.bytes(String.valueOf(v));
        if (b == null) throw new EngineException(key + " must be a size such as 512k, 64m, 2g or a number of bytes, got '" + v + "'");
        if (b < min) throw new EngineException(key + " must be at least " + min + " bytes, got " + b);
        return b;
    }

    private static List<String> stringList(Map<String, Object> s, String key) {
        Object v = s.get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (o == null || o instanceof Map || o instanceof List || String.valueOf(o).isBlank()) {
                    throw new EngineException(key + " must be a list of non-empty strings, got " + v);
                }
                out.add(String.valueOf(o).strip());
            }
            return out;
        }
        String one = String.valueOf(v).strip();
        if (one.isEmpty()) throw new EngineException(key + " must not be empty");
        return List.of(one);
    }
}
