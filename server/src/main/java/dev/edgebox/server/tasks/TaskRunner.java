package dev.edgebox.server.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.edgebox.engine.generate.FinishReason;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.grammar.GrammarException;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.engine.grammar.UnsupportedSchemaException;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.sampling.SamplingParams;
import dev.edgebox.engine.sampling.TokenConstraint;
import dev.edgebox.server.format.FormatCache;
import dev.edgebox.server.format.OutputCheck;
import dev.edgebox.server.format.RequestFormats;
import dev.edgebox.server.http.Json;
import dev.edgebox.server.scheduler.GenerationJob;
import dev.edgebox.server.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Runs tasks on the scheduler: a call becomes a prompt (system prompt, few-shot turns, the input
 * in the task's template), an output format and sampling settings; the answer comes back checked
 * and parsed. The HTTP routes and the command line (batch, eval) both run tasks through here, so
 * a task answers the same way in both. Thread-safe: calls may come from many threads at once and
 * are batched by the scheduler.
 */
public final class TaskRunner {
    /** What a call turned into, ready to generate. */
    public record Prepared(TaskDefinition task, List<Map<String, Object>> messages, int[] prompt, StructuredOutput format,
                           GenerationRequest request) {}

    private final Scheduler scheduler;
    private final TaskPrompts prompts;
    private final FormatCache formats;
    private final int maxTokens;
    private final Duration timeout;
    private final UnaryOperator<TokenConstraint> wrapConstraint;

    /**
     * @param maxTokens      the most tokens a call may generate (a task's or call's larger value is capped)
     * @param timeout        deadline of a call, queueing included (null: none)
     * @param wrapConstraint applied to each grammar constraint (the server times them); identity otherwise
     */
    public TaskRunner(Scheduler scheduler, TaskPrompts prompts, FormatCache formats, int maxTokens, Duration timeout,
                      UnaryOperator<TokenConstraint> wrapConstraint) {
        this.scheduler = scheduler;
        this.prompts = prompts;
        this.formats = formats;
        this.maxTokens = maxTokens;
        this.timeout = timeout;
        this.wrapConstraint = wrapConstraint;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Runs one call and waits for its answer. */
    public TaskResult run(TaskDefinition task, TaskCall call) throws InterruptedException {
        long start = System.nanoTime();
        Prepared p = prepare(task, call);
        return finish(p, await(submit(p)), start);
    }

    /** Turns a call into a prompt, a format and sampling settings (taken from the task, then the call's params). */
    public Prepared prepare(TaskDefinition task, TaskCall call) {
        return prepare(task, call, null, null);
    }

    /**
     * As {@link #prepare(TaskDefinition, TaskCall)}, with the generation settings and the output format
     * already decided by the caller (the OpenAI-style route, whose client says them its own way).
     *
     * @param request        null: from the task and the call's params
     * @param formatOverride null: the task's output format
     */
    public Prepared prepare(TaskDefinition task, TaskCall call, GenerationRequest request, StructuredOutput formatOverride) {
        if (call.input() == null) throw TaskException.badParam("input", "is required: the text for the task");
        if (call.input().isBlank()) throw TaskException.badParam("input", "is empty; send the text for the task");
        OutputSpec out = task.output();
        Map<String, String> values = new LinkedHashMap<>(task.variables());
        Object outputValue = null;
        for (var e : call.params().entrySet()) {
            String key = e.getKey();
            if (TaskFiles.SAMPLING_KEYS.contains(key)) continue;
            if (key.equals(out.param())) {
                outputValue = e.getValue();
            } else if (task.variables().containsKey(key)) {
                values.put(key, Params.text(e.getValue(), "params." + key));
            } else {
                throw TaskException.badParam("params." + key, "is not a parameter of task '" + task.name() + "'; it takes " + accepted(task));
            }
        }
        StructuredOutput format = formatOverride;
        if (out.param() != null) {
            String param = "params." + out.param();
            if (outputValue == null && (format == null || usesParam(task))) {
                throw TaskException.badParam(param, "is required by task '" + task.name() + "': "
                        + (out.kind() == OutputSpec.Kind.CHOICES ? "the labels to choose from, e.g. [\"billing\", \"technical\", \"other\"]"
                        : "the JSON Schema of the answer"));
            }
            if (outputValue != null) {
                if (out.kind() == OutputSpec.Kind.CHOICES) {
                    List<String> labels = Params.labels(outputValue, param);
                    values.put(out.param(), String.join(", ", labels));
                    if (format == null) format = compile(param, () -> formats.choices(labels));
                } else {
                    String schema = Params.schema(outputValue, param);
                    values.put(out.param(), schema);
                    if (format == null) format = compile(param, () -> formats.jsonSchema(schema));
                }
            }
        }
        if (format == null) format = fixedFormat(out);
        values.put("input", call.input());

        List<Map<String, Object>> messages = new ArrayList<>();
        String system = Templates.render(task.system(), values);
        if (!system.isBlank()) messages.add(message("system", system));
        for (TaskDefinition.Example ex : task.examples()) {
            Map<String, String> exValues = new LinkedHashMap<>(values);
            exValues.put("input", ex.input());
            messages.add(message("user", Templates.render(task.template(), exValues)));
            messages.add(message("assistant", ex.output()));
        }
        messages.add(message("user", Templates.render(task.template(), values)));
        int[] prompt = prompts.tokens(messages);
        if (prompt.length >= scheduler.contextLength()) {
            throw new TaskException(400, "the task's prompt has " + prompt.length + " tokens but the context holds " + scheduler.contextLength()
                    + " (and the answer needs room); shorten the input or raise the context", "input", "context_length_exceeded");
        }
        if (request == null) request = request(task, call);
        return new Prepared(task, List.copyOf(messages), prompt, format, request);
    }

    private static boolean usesParam(TaskDefinition task) {
        String p = task.output().param();
        return Templates.names(task.system()).contains(p) || Templates.names(task.template()).contains(p);
    }

    private static String accepted(TaskDefinition task) {
        List<String> names = new ArrayList<>();
        if (task.output().param() != null) names.add(task.output().param());
        names.addAll(task.variables().keySet());
        names.addAll(TaskFiles.SAMPLING_KEYS.stream().sorted().toList());
        return String.join(", ", names);
    }

    private StructuredOutput fixedFormat(OutputSpec out) {
        return switch (out.kind()) {
            case TEXT -> null;
            case JSON -> formats.json(true);
            case CHOICES -> formats.choices(out.choices());
            case SCHEMA -> formats.jsonSchema(out.text());
            case REGEX -> formats.regex(out.text());
            case GRAMMAR -> formats.grammar(out.text());
        };
    }

    /** Compiles a format from a call's parameter; a refusal names the parameter (and the keyword's path in it). */
    private static StructuredOutput compile(String param, Supplier<StructuredOutput> build) {
        try {
            return build.get();
        } catch (UnsupportedSchemaException e) {
            throw new TaskException(400, "'" + param + "': " + e.getMessage(), RequestFormats.keywordParam(param, e.path(), e.keyword()),
                    "unsupported_schema_keyword");
        } catch (GrammarException e) {
            throw new TaskException(400, "'" + param + "' cannot be used: " + e.getMessage(), param, "invalid_schema");
        }
    }

    /** The sampling settings: the server's defaults, then the task's, then the call's params. */
    public GenerationRequest request(TaskDefinition task, TaskCall call) {
        TaskSampling s = task.sampling().overriddenBy(Params.sampling(call.params(), "params"));
        int limit = s.maxTokens() == null ? maxTokens : Math.min(s.maxTokens(), maxTokens);
        return new GenerationRequest(s.over(SamplingParams.DEFAULTS), limit, List.of(), false);
    }

    /** Queues a prepared call on the scheduler. */
    public GenerationJob submit(Prepared p) {
        List<LogitProcessor> processors = p.format() == null ? List.of() : List.of(wrapConstraint.apply(p.format().newConstraint(prompts.tokenizer())));
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        return scheduler.submit(p.prompt(), p.request(), processors, deadline);
    }

    /** Waits for a job's end; a failure is thrown. */
    public static GenerationResult await(GenerationJob job) throws InterruptedException {
        try {
            GenerationJob.Event e = job.await();
            if (e instanceof GenerationJob.Failed f) throw f.error();
            return ((GenerationJob.Done) e).result();
        } finally {
            job.cancel(); // frees the slot if this thread was interrupted while waiting
        }
    }

    /** The answer: checked against the format, parsed when it is JSON. */
    public TaskResult finish(Prepared p, GenerationResult r, long startNanos) {
        FinishReason reason = OutputCheck.finishReason(p.format(), r);
        String finish = reason == FinishReason.STOP ? "stop" : "length";
        Object output = r.text();
        String error = null;
        if (p.format() != null) {
            error = reason == FinishReason.STOP ? null : OutputCheck.problem(p.format(), r);
            output = error != null ? null : p.format().isJson() ? parse(r.text()) : r.text();
        }
        return new TaskResult(p.task().name(), output, r.text(), finish, r.promptTokens(), r.tokens().length, System.nanoTime() - startNanos, error);
    }

    private static Object parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked JSON answer did not parse: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
