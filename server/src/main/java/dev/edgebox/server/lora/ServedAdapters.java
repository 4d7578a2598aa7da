package dev.edgebox.server.lora;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.lora.AdapterSpec;
import dev.edgebox.engine.lora.AdapterStore;
import dev.edgebox.engine.lora.LoraFiles;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Fields;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The served model's LoRA adapters as requests name them. A request picks adapters with its
 * {@code model} ("base:NAME", or just "NAME") and, in both dialects, an extra {@code lora} array of
 * names or {"name", "scale"} objects, stacked in order. It gets a {@link AdapterRegistry.Lease} on
 * the versions current when it is accepted and keeps them to its end, so replacing, rolling back or
 * removing an adapter never changes an answer already under way.
 */
public final class ServedAdapters {
    /** Adapters one request may stack. */
    public static final int MAX_STACKED = 8;

    /**
     * What a request asked for.
     *
     * @param model    the model id to answer with: the base name, or "base:NAME" when model named an adapter
     * @param adapters the adapters in stacking order, each with its scale; empty for the base model alone
     */
    public record Choice(String model, List<AdapterRegistry.Request> adapters) {
        public boolean isBase() {
            return adapters.isEmpty();
        }
    }

    private final AdapterRegistry registry;
    private final Map<String, Float> defaultScales = new ConcurrentHashMap<>();
    private final Consumer<String> used;

    /**
     * @param used hears the name of each adapter a request runs with (for per-adapter metrics)
     */
    public ServedAdapters(AdapterRegistry registry, Consumer<String> used) {
        this.registry = registry;
        this.used = used;
    }

    /** No store and nothing given at start-up: every request runs on the base model. */
    public static ServedAdapters none(ModelConfig base) {
        return new ServedAdapters(new AdapterRegistry(null, base), name -> {});
    }

    /**
     * The adapters of a server: the store at adapterDir (null: none) and those given at start-up
     * as {@code [NAME=]PATH[:scale]} or a stored {@code NAME[:scale]}; their scales become the
     * default of requests that name them without one.
     *
     * @throws EngineException naming the adapter that does not exist or does not fit the model
     */
    public static ServedAdapters open(Path adapterDir, List<String> specs, ModelConfig base, Consumer<String> used, PrintStream log) {
        AdapterStore store = adapterDir == null ? null : new AdapterStore(adapterDir);
        ServedAdapters served = new ServedAdapters(new AdapterRegistry(store, base), used);
        for (String text : specs) {
            AdapterSpec spec = AdapterSpec.parse(text);
            Path path = Path.of(spec.target());
            AdapterRegistry.Info info;
            if (Files.exists(path)) {
                info = served.registry.addFromPath(spec.name() != null ? spec.name() : LoraFiles.defaultName(path), path);
            } else if ((spec.name() == null || spec.name().equals(spec.target())) && store != null && store.contains(spec.target())) {
                info = served.registry.load(spec.target());
            } else {
                throw new EngineException("adapter " + EngineException.quote(text) + " is neither a path (PEFT directory or LoRA .gguf) nor "
                        + (store == null ? "a stored adapter (adapter-dir is off)" : "an adapter in " + store.root()));
            }
            served.defaultScales.put(info.name(), spec.scale());
            log.printf(Locale.ROOT, "edgebox: adapter %s v%d (%s, %.1f MB), default scale %s%n", info.name(), info.version(), info.summary(),
                    info.bytes() / 1e6, spec.scale());
        }
        return served;
    }

    public AdapterRegistry registry() {
        return registry;
    }

    /** The scale a request gets when it names the adapter without one. */
    public float defaultScale(String name) {
        return defaultScales.getOrDefault(name, 1f);
    }

    /** Names of every adapter served, those given at start-up first. */
    public List<String> names() {
        return registry.list().stream().map(AdapterRegistry.Info::name).toList();
    }

    /**
     * Reads a request's choice of adapters from its model field and its "lora" array.
     *
     * @param param    the field naming the model ("model")
     * @param isBase   whether a name means the base model itself
     * @param notFound the dialect's answer to a model that is neither the base nor an adapter
     */
    public Choice choose(Fields f, String param, String baseName, Predicate<String> isBase, Function<String, ApiException> notFound) {
        String requested = f.optString(param, null);
        String fromModel = null;
        if (requested != null && !requested.isBlank() && !isBase.test(requested)) {
            fromModel = adapterIn(requested.strip(), isBase);
            if (fromModel == null) throw notFound.apply(requested);
        }
        List<AdapterRegistry.Request> wanted = lora(f);
        if (fromModel != null) {
            String name = fromModel;
            // Named by both: the lora entry says where it goes and its scale.
            if (wanted.stream().noneMatch(r -> r.name().equals(name))) wanted.addFirst(new AdapterRegistry.Request(name, defaultScale(name)));
        }
        if (wanted.size() > MAX_STACKED) throw f.invalid("lora", "stacks " + wanted.size() + " adapters; at most " + MAX_STACKED + " are allowed");
        return new Choice(fromModel != null ? id(baseName, fromModel) : baseName, List.copyOf(wanted));
    }

    /** The model id of an adapter: "base:NAME", which Ollama clients read as a tag of the base. */
    public static String id(String baseName, String adapter) {
        return baseName + ":" + adapter;
    }

    /** "base:NAME", "NAME" or "NAME:latest" (as Ollama clients complete a bare name): NAME when such an adapter is served, else null. */
    private String adapterIn(String requested, Predicate<String> isBase) {
        String name = requested;
        int colon = requested.lastIndexOf(':');
        if (colon > 0) {
            String left = requested.substring(0, colon), right = requested.substring(colon + 1);
            if (isBase.test(left)) name = right;
            else if (right.equalsIgnoreCase("latest")) name = left;
        }
        return AdapterSpec.validName(name) && registry.has(name) ? name : null;
    }

    /** The "lora" array: adapter names, or {"name", "scale"} objects. */
    private List<AdapterRegistry.Request> lora(Fields f) {
        List<JsonNode> list = f.optArray("lora");
        List<AdapterRegistry.Request> out = new ArrayList<>();
        if (list == null) return out;
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String path = f.param("lora") + "[" + i + "]";
            String name;
            Double scale = null;
            if (e.isTextual()) {
                name = e.asText();
            } else if (e.isObject()) {
                Fields o = Fields.of(e, path);
                if (o.has("id") && !o.has("name")) {
                    throw o.invalid("id", "is not supported: name the adapter with \"name\" (GET /v1/adapters lists them)");
                }
                name = o.string("name");
                scale = o.optNumber("scale", -100, 100);
            } else {
                throw f.invalid("lora", "must hold adapter names or {\"name\", \"scale\"} objects; " + path + " is " + Fields.kind(e));
            }
            if (!AdapterSpec.validName(name) || !registry.has(name)) throw unknown(name, path);
            String n = name;
            if (out.stream().anyMatch(r -> r.name().equals(n))) throw f.invalid("lora", "names adapter '" + name + "' twice");
            out.add(new AdapterRegistry.Request(name, scale == null ? defaultScale(name) : scale.floatValue()));
        }
        return out;
    }

    /**
     * Pins the current versions of the chosen adapters for one request (null for the base model);
     * the scheduler closes the lease when the request ends.
     */
    public AdapterRegistry.Lease acquire(Choice choice) {
        if (choice.isBase()) return null;
        AdapterRegistry.Lease lease;
        try {
            lease = registry.acquire(choice.adapters());
        } catch (EngineException e) {
            // Removed since the request was read, or its stored files no longer load.
            for (AdapterRegistry.Request r : choice.adapters()) if (!registry.has(r.name())) throw unknown(r.name(), "lora");
            throw ApiException.badRequest(e.getMessage(), "lora");
        }
        for (AdapterRegistry.Request r : choice.adapters()) used.accept(r.name());
        return lease;
    }

    /** 404 naming the adapter and those that exist, as an unknown model is answered. */
    public ApiException unknown(String name, String param) {
        List<String> names = names();
        return new ApiException(404, "adapter '" + name + "' is not served here; "
                + (names.isEmpty() ? "no adapters are loaded" : "adapters: " + String.join(", ", names)), "invalid_request_error", param,
                "adapter_not_found");
    }
}
