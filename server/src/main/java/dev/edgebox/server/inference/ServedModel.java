package dev.edgebox.server.inference;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.generate.ChatPrompt;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.format.ConstraintStats;
import dev.edgebox.server.format.FormatCache;
import dev.edgebox.server.format.TimedConstraint;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.Fields;
import dev.edgebox.server.lora.ServedAdapters;
import dev.edgebox.server.scheduler.DeadlineExceededException;
import dev.edgebox.server.scheduler.EmbeddingJob;
import dev.edgebox.server.scheduler.GenerationJob;
import dev.edgebox.server.scheduler.QueueFullException;
import dev.edgebox.server.scheduler.Scheduler;
import dev.edgebox.server.scheduler.SchedulerClosedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The loaded model as both API dialects see it: its name, prompts built from messages or text
 * (through the same {@link ChatPrompt} and tokenizer as {@code edgebox run}), limits, and requests
 * handed to the {@link Scheduler} with the LoRA adapters they pick ({@link ServedAdapters}).
 * Problems a client caused come back as {@link ApiException}s: 400 naming the field, 404 for
 * another model or adapter, 429 when the queue is full, 503 when shutting down.
 */
public final class ServedModel {
    /** What every request is held to. */
    public record Limits(int maxTokens, Duration requestTimeout) {}

    private final ModelInfo info;
    private final GgufMetadata metadata;
    private final Tokenizer tokenizer;
    private final ChatPrompt chat;
    private final Scheduler scheduler;
    private final Limits limits;
    private final Consumer<String> rejections;
    private final FormatCache formats = new FormatCache();
    private final ConstraintStats constraintStats = new ConstraintStats();
    private final ServedAdapters adapters;

    /**
     * @param rejections hears why a request was refused before it ran ("queue_full", ...), for metrics
     */
    public ServedModel(ModelInfo info, GgufMetadata metadata, Tokenizer tokenizer, Scheduler scheduler, Limits limits,
                       Consumer<String> rejections) {
        this(info, metadata, tokenizer, scheduler, limits, rejections, null);
    }

    /** @param adapters the LoRA adapters requests may pick (null: none) */
    public ServedModel(ModelInfo info, GgufMetadata metadata, Tokenizer tokenizer, Scheduler scheduler, Limits limits,
                       Consumer<String> rejections, ServedAdapters adapters) {
        this.adapters = adapters;
        this.info = info;
        this.metadata = metadata;
        this.tokenizer = tokenizer;
        this.chat = ChatPrompt.available(metadata) ? ChatPrompt.of(metadata, tokenizer) : null;
        this.scheduler = scheduler;
        this.limits = limits;
        this.rejections = rejections;
    }

    public String name() {
        return info.name();
    }

    public ModelInfo info() {
        return info;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Limits limits() {
        return limits;
    }

    public int contextLength() {
        return scheduler.contextLength();
    }

    /** The chat template text, or null when the model has none. */
    public String chatTemplate() {
        return chat == null ? null : chat.source();
    }

    /**
     * Checks the model a request names: absent means this one; this one answers to its name, with an
     * Ollama ":latest" tag, and with its file name.
     */
    public void checkModel(String requested, String param) {
        if (requested == null || requested.isBlank() || answersTo(requested)) return;
        throw notServed(requested, param);
    }

    private ApiException notServed(String requested, String param) {
        return new ApiException(404, "model '" + requested + "' is not served here; this server serves '" + name() + "'" + adapterIds(),
                "invalid_request_error", param, "model_not_found");
    }

    /** " and adapters 'base:a', 'base:b'" when there are any, so a client learns the ids it may use. */
    private String adapterIds() {
        if (adapters == null) return "";
        List<String> ids = adapters.names().stream().map(n -> "'" + ServedAdapters.id(name(), n) + "'").toList();
        return ids.isEmpty() ? "" : " and adapters " + String.join(", ", ids);
    }

    /** The served adapters, or null when the server has none. */
    public ServedAdapters adapters() {
        return adapters;
    }

    /** The base model and adapters a request asks for with "model" (base, "base:NAME" or "NAME") and "lora"; 404 in OpenAI's words. */
    public ServedAdapters.Choice choose(Fields f) {
        return choose(f, "model", requested -> notServed(requested, "model"));
    }

    /** As {@link #choose(Fields)}, with Ollama's wording for a model that is not here. */
    public ServedAdapters.Choice chooseOllama(Fields f) {
        return choose(f, "model", requested -> ApiException.notFound("model '" + requested + "' not found; this server serves '" + name() + "'"
                + adapterIds()));
    }

    private ServedAdapters.Choice choose(Fields f, String param, Function<String, ApiException> notFound) {
        if (adapters == null) {
            if (f.has("lora")) throw f.invalid("lora", "names adapters, but this server serves none");
            String requested = f.optString(param, null);
            if (requested != null && !requested.isBlank() && !answersTo(requested)) throw notFound.apply(requested);
            return new ServedAdapters.Choice(name(), List.of());
        }
        return adapters.choose(f, param, name(), this::answersTo, notFound);
    }

    public boolean answersTo(String requested) {
        String r = requested.strip();
        String n = name();
        if (r.equalsIgnoreCase(n) || r.equalsIgnoreCase(n + ":latest")) return true;
        String file = java.nio.file.Path.of(info.file()).getFileName().toString();
        return r.equalsIgnoreCase(file);
    }

    /** A conversation rendered with the model's chat template and tokenized as {@code edgebox run --chat} does. */
    public int[] chatPrompt(List<Map<String, Object>> messages, Map<String, Object> extraVars, String param) {
        if (chat == null) {
            throw ApiException.badRequest("model '" + name() + "' has no chat template, so it cannot take messages; send a plain prompt"
                    + " to /v1/completions or /api/generate", param);
        }
        String text;
        try {
            text = chat.render(messages, extraVars);
        } catch (EngineException e) {
            throw ApiException.badRequest("the model's chat template refused the messages: " + e.getMessage(), param);
        }
        return tokenizer.encode(text, true, true);
    }

    /** Plain text as {@code edgebox run} tokenizes it (BOS as the model wants it, special-token text recognised). */
    public int[] textPrompt(String text) {
        return tokenizer.encode(text, true, true);
    }

    /** Token ids sent by the client, checked against the vocabulary. */
    public int[] tokenIds(List<Integer> ids, String param) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= tokenizer.vocabSize()) {
                throw ApiException.badRequest("'" + param + "[" + i + "]' is token id " + id + ", outside the vocabulary of "
                        + tokenizer.vocabSize(), param);
            }
            out[i] = id;
        }
        return out;
    }

    /**
     * A text to embed, tokenized without parsing special-token text (it is data, not a prompt).
     *
     * @param truncate cut it to the context (Ollama's default) instead of refusing it
     */
    public int[] embeddingInput(String text, boolean truncate, String param) {
        if (text.isEmpty()) throw ApiException.badRequest("'" + param + "' is an empty string; nothing to embed", param);
        int[] ids = tokenizer.encode(text, true, false);
        if (ids.length > contextLength()) {
            if (truncate) return Arrays.copyOf(ids, contextLength());
            throw tooLong(ids.length, param);
        }
        return ids;
    }

    /** Tokens to generate: what the client asked, within the server's limit; its default when it did not ask. */
    public int maxTokens(Integer requested) {
        return requested == null ? limits.maxTokens() : Math.min(requested, limits.maxTokens());
    }

    /** Hands a generation to the scheduler; the prompt must leave room to generate. */
    public GenerationJob generate(int[] prompt, GenerationRequest request, String promptParam) {
        return generate(prompt, request, null, promptParam);
    }

    /** Hands a generation to the scheduler, constrained to the format when there is one (null: free text). */
    public GenerationJob generate(int[] prompt, GenerationRequest request, StructuredOutput format, String promptParam) {
        return generate(prompt, request, format, null, promptParam);
    }

    /**
     * Hands a generation to the scheduler, run with the chosen adapters (null: the base model): their
     * current versions are pinned now and held until the generation ends.
     */
    public GenerationJob generate(int[] prompt, GenerationRequest request, StructuredOutput format, ServedAdapters.Choice choice,
                                  String promptParam) {
        if (prompt.length == 0) throw ApiException.badRequest("the prompt is empty", promptParam);
        if (prompt.length >= contextLength()) throw tooLong(prompt.length, promptParam);
        List<LogitProcessor> processors = format == null ? List.of()
                : List.of(new TimedConstraint(format.newConstraint(tokenizer), constraintStats));
        AdapterRegistry.Lease lease = choice == null || adapters == null ? null : adapters.acquire(choice);
        try {
            return scheduler.submit(prompt, request, processors, lease, deadline());
        } catch (RuntimeException e) {
            throw refused(e);
        }
    }

    /** Compiled output formats, shared by the requests that send the same one. */
    public FormatCache formats() {
        return formats;
    }

    /** Time spent in grammars, for metrics. */
    public ConstraintStats constraintStats() {
        return constraintStats;
    }

    public EmbeddingJob embed(List<int[]> inputs) {
        try {
            return scheduler.embed(inputs, deadline());
        } catch (RuntimeException e) {
            throw refused(e);
        }
    }

    private long deadline() {
        return System.nanoTime() + limits.requestTimeout().toNanos();
    }

    /** A scheduler refusal or failure as an API error. */
    public ApiException refused(RuntimeException e) {
        return switch (e) {
            case ApiException a -> a;
            case QueueFullException q -> {
                rejections.accept("queue_full");
                yield new ApiException(429, q.getMessage(), "server_overloaded", null, "queue_full").header("Retry-After", "1");
            }
            case SchedulerClosedException c -> {
                rejections.accept("shutting_down");
                yield new ApiException(503, c.getMessage(), "server_overloaded", null, "shutting_down");
            }
            case DeadlineExceededException d -> {
                rejections.accept("deadline");
                yield new ApiException(503, d.getMessage(), "server_overloaded", null, "timeout").header("Retry-After", "1");
            }
            case EngineException x -> ApiException.badRequest(x.getMessage(), null);
            default -> ApiException.serverError("generation failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        };
    }

    private ApiException tooLong(int tokens, String param) {
        return new ApiException(400, String.format(Locale.ROOT,
                "the input has %d tokens but the context holds %d (and generation needs at least one more); edgebox does not cut"
                        + " inputs short: shorten it or start the server with a larger ctx", tokens, contextLength()),
                "invalid_request_error", param, "context_length_exceeded");
    }
}
