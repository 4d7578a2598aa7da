package dev.edgebox.app.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgebox.engine.EngineException;
import dev.edgebox.server.tasks.TaskCall;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgebox task NAME --in in.jsonl --out out.jsonl}: a task over every line of a file, through
 * the batching scheduler in this process, with a progress bar; run it again after an interruption
 * and it does only what is left. Subcommands list the tasks and evaluate a classifier on a labelled set.
 */
@Command(name = "task", sortOptions = false, subcommands = {TaskList.class, TaskEval.class},
        description = {"Run a task (sentiment, classify, extract, summarize, translate, chat, or your own) over a JSONL file.",
                "Each input line is a JSON object (the text in --field) or a JSON string; each output line is",
                "{\"line\", \"id\", \"output\", \"raw\", \"finish_reason\", \"usage\", \"latency_ms\"} in the order items finish.",
                "Interrupted? Run the same command again: lines already in --out are skipped."})
public final class TaskCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The task (see 'edgebox task list').")
    String name;

    @Option(names = "--in", paramLabel = "FILE", description = "Input JSONL file.")
    Path in;

    @Option(names = "--out", paramLabel = "FILE", description = "Output JSONL file (appended to; resumed if it exists).")
    Path out;

    @Option(names = "--field", paramLabel = "NAME", defaultValue = "text", description = "Field of the input objects holding the text (default: ${DEFAULT-VALUE}).")
    String field;

    @Option(names = "--id-field", paramLabel = "NAME", description = "Field of the input objects copied to the output as \"id\".")
    String idField;

    @Option(names = "--params", paramLabel = "JSON", description = "The task's params as a JSON object, e.g. '{\"labels\":[\"a\",\"b\"]}'.")
    String params;

    @Mixin
    TaskOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        if (in == null || out == null) throw new EngineException("edgebox task " + name + " needs --in FILE and --out FILE");
        PrintWriter err = spec.commandLine().getErr();
        options.task(name); // a mistyped name fails before the model loads
        List<BatchRunner.Item> items = readInput(in, field, idField);
        int inputLines = lineCount(in);
        Map<String, Object> callParams = parseParams(params);
        try (LocalTasks local = options.open()) {
            TaskDefinition task = local.task(name);
            checkParams(local, task, callParams);
            return runBatch(local, task, callParams, items, inputLines, err);
        }
    }

    private int runBatch(LocalTasks local, TaskDefinition task, Map<String, Object> callParams, List<BatchRunner.Item> items, int inputLines,
                         PrintWriter err) throws Exception {
        try (ResultFile results = ResultFile.open(out, inputLines)) {
            List<BatchRunner.Item> todo = items.stream().filter(i -> !results.done().containsKey(i.line())).toList();
            int resumed = items.size() - todo.size();
            if (resumed > 0) err.printf("edgebox: %d of %d items already in %s; doing the other %d%n", resumed, items.size(), out, todo.size());
            BatchRunner batch = local.batch(task, callParams, null);
            Progress progress = Progress.onConsole(err, items.size(), resumed);
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(1);
            Thread onInterrupt = new Thread(() -> {
                batch.stop();
                try {
                    finished.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                err.printf("%nedgebox: interrupted with %d of %d items in %s; run the same command again to do the rest%n",
                        results.done().size(), items.size(), out);
                err.flush();
            }, "edgebox-task-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                batch.run(todo, (item, result, error) -> {
                    if (error != null || !result.ok()) failed.incrementAndGet();
                    results.append(line(item, result, error));
                }, progress);
            } finally {
                progress.finish();
                finished.countDown();
            }
            if (batch.stopped()) return 130;
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
            err.printf("edgebox: %d items done (%d this run), %d without a valid answer; results in %s%n", results.done().size(), todo.size(),
                    failed.get(), out);
        }
        return 0;
    }

    /**
     * Wrong params (a bad schema, missing labels) would fail every item alike and fill the output with
     * errors that a rerun then skips as done: try them once on a placeholder input before the batch.
     */
    private static void checkParams(LocalTasks local, TaskDefinition task, Map<String, Object> callParams) {
        try {
            local.tasks().runner().prepare(task, new TaskCall("params check", callParams), null, null);
        } catch (EngineException e) {
            throw new EngineException((callParams.isEmpty() ? "" : "--params: ") + e.getMessage());
        }
    }

    /** One output line. */
    static ObjectNode line(BatchRunner.Item item, TaskResult r, EngineException error) {
        ObjectNode o = ResultFile.JSON.createObjectNode();
        o.put("line", item.line());
        if (item.id() != null) o.put("id", item.id());
        if (error != null) {
            o.putNull("output");
            o.put("error", error.getMessage());
            return o;
        }
        o.set("output", ResultFile.JSON.valueToTree(r.output()));
        o.put("raw", r.raw());
        o.put("finish_reason", r.finishReason());
        if (r.error() != null) o.put("error", r.error());
        ObjectNode usage = o.putObject("usage");
        usage.put("prompt_tokens", r.promptTokens());
        usage.put("completion_tokens", r.completionTokens());
        o.put("latency_ms", r.latencyMillis());
        return o;
    }

    /** The items of a JSONL file: objects (text in {@code field}) or strings; blank lines are skipped. */
    static List<BatchRunner.Item> readInput(Path file, String field, String idField) throws IOException {
        if (!Files.isRegularFile(file)) throw new EngineException("input file " + file + " does not exist");
        List<BatchRunner.Item> items = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            if (line.isBlank()) continue;
            JsonNode v;
            try {
                v = ResultFile.JSON.readTree(line);
            } catch (IOException e) {
                throw new EngineException(file + " line " + number + " is not JSON: " + firstLine(e.getMessage()));
            }
            if (v.isTextual()) {
                items.add(new BatchRunner.Item(number, null, v.asText()));
                continue;
            }
            if (!v.isObject()) throw new EngineException(file + " line " + number + " must be a JSON object or string");
            JsonNode text = v.get(field);
            if (text == null || !text.isTextual()) {
                throw new EngineException(file + " line " + number + " has no text field '" + field + "'" + (text == null ? "" : " (it is not a string)")
                        + "; name the field with --field");
            }
            String id = null;
            if (idField != null) {
                JsonNode idNode = v.get(idField);
                if (idNode == null || idNode.isContainerNode()) throw new EngineException(file + " line " + number + " has no id field '" + idField + "'");
                id = idNode.asText();
            }
            items.add(new BatchRunner.Item(number, id, text.asText()));
        }
        return items;
    }

    static int lineCount(Path file) throws IOException {
        return Files.readAllLines(file).size();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseParams(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            Object v = ResultFile.JSON.readValue(json, Object.class);
            if (!(v instanceof Map<?, ?> m)) throw new EngineException("--params must be a JSON object, e.g. '{\"labels\":[\"a\",\"b\"]}'");
            return new LinkedHashMap<>((Map<String, Object>) m);
        } catch (IOException e) {
            throw new EngineException("--params is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
