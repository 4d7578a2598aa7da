package dev.edgebox.app.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.server.tasks.OutputSpec;
import dev.edgebox.server.tasks.TaskDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgebox task eval NAME --data FILE --text-field F --label-field L}: runs a classifying task
 * (its answer one of a set of labels) over a labelled set and prints accuracy, macro-F1, per-class
 * scores and the confusion matrix. The answer is restricted to the labels the data has (a 3-way
 * sentiment task on a 2-way set chooses between positive and negative) unless --all-choices.
 */
@Command(name = "eval", sortOptions = false, description = {
        "Evaluate a classifying task on a labelled TSV, CSV or JSONL file: accuracy, macro-F1, confusion matrix.",
        "Example: edgebox task eval sentiment -m model.gguf --data sst2/dev.tsv --text-field sentence --label-field label --labels 1=positive,0=negative"})
final class TaskEval implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The task: one whose answer is one of a set of labels (sentiment, classify, ...).")
    String name;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data: .tsv/.txt, .csv or .jsonl.")
    Path data;

    @Option(names = "--text-field", required = true, paramLabel = "F", description = "Column (or JSON field) of the text; a number with --no-header.")
    String textField;

    @Option(names = "--label-field", required = true, paramLabel = "L", description = "Column (or JSON field) of the gold label; a number with --no-header.")
    String labelField;

    @Option(names = "--labels", paramLabel = "MAP", description = "Data labels to task labels, e.g. 1=positive,0=negative (default: as they are).")
    String labels;

    @Option(names = "--format", paramLabel = "FMT", description = "tsv, csv or jsonl (default: from the file name; .txt is tsv).")
    String format;

    @Option(names = "--no-header", description = "The TSV/CSV file has no header row: fields are column numbers from 0.")
    boolean noHeader;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate the first N rows only.")
    Integer limit;

    @Option(names = "--sample", paramLabel = "N", description = "Evaluate N rows drawn at random (reproducibly, see --sample-seed), kept in file order.")
    Integer sample;

    @Option(names = "--sample-seed", paramLabel = "S", defaultValue = "1", description = "Seed of --sample (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(names = "--predictions", paramLabel = "FILE", description = "Keep every prediction in this JSONL file; an interrupted eval resumes from it.")
    Path predictions;

    @Option(names = "--all-choices", description = "Let the task answer any of its labels, not only those in the data.")
    boolean allChoices;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Mixin
    TaskOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        options.task(name); // a mistyped name fails before the data is read and the model loads
        List<Dataset.Row> rows = Dataset.read(data, Dataset.formatOf(data, format), !noHeader, textField, labelField);
        if (limit != null) {
            if (limit < 1) throw new EngineException("--limit must be at least 1, got " + limit);
            rows = rows.subList(0, Math.min(limit, rows.size()));
        }
        if (sample != null) rows = sample(rows, sample, sampleSeed);
        if (rows.isEmpty()) throw new EngineException(data + " holds no rows to evaluate");
        LabelMap map = LabelMap.parse(labels);
        Map<Integer, String> gold = new LinkedHashMap<>();
        for (Dataset.Row r : rows) gold.put(r.line(), map.apply(r.label(), data + " line " + r.line()));
        List<String> goldLabels = List.copyOf(new TreeSet<>(gold.values()));

        try (LocalTasks local = options.open()) {
            TaskDefinition task = local.task(name);
            Map<String, Object> params = new LinkedHashMap<>();
            StructuredOutput restrict = restriction(task, goldLabels, params);
            ResultFile file = predictions == null ? null : ResultFile.open(predictions, TaskCommand.lineCount(data));
            try {
                Map<Integer, String> predicted = new ConcurrentHashMap<>();
                List<BatchRunner.Item> todo = new ArrayList<>();
                for (Dataset.Row r : rows) {
                    JsonNode done = file == null ? null : file.done().get(r.line());
                    if (done != null) {
                        if (done.path("output").isTextual()) predicted.put(r.line(), done.path("output").asText());
                    } else {
                        todo.add(new BatchRunner.Item(r.line(), null, r.text()));
                    }
                }
                int resumed = rows.size() - todo.size();
                if (resumed > 0) err.printf("edgebox: %d of %d predictions already in %s%n", resumed, rows.size(), predictions);
                BatchRunner batch = local.batch(task, params, restrict);
                Progress progress = Progress.onConsole(err, rows.size(), resumed);
                batch.run(todo, (item, result, error) -> {
                    if (result != null && result.ok() && result.output() instanceof String s) predicted.put(item.line(), s);
                    if (file != null) {
                        ObjectNode line = TaskCommand.line(item, result, error);
                        line.put("label", gold.get(item.line()));
                        file.append(line);
                    }
                }, progress);
                progress.finish();
                List<String> g = new ArrayList<>(), p = new ArrayList<>();
                for (Dataset.Row r : rows) {
                    g.add(gold.get(r.line()));
                    p.add(predicted.get(r.line()));
                }
                ClassificationMetrics m = new ClassificationMetrics(g, p);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("task", task.name());
                    o.put("data", data.toString());
                    o.putAll(m.toMap());
                    out.println(ResultFile.JSON.writeValueAsString(o));
                } else {
                    out.printf("task %s on %s%n", task.name(), data);
                    out.print(m.report());
                }
                out.flush();
            } finally {
                if (file != null) file.close();
            }
        }
        return 0;
    }

    /** n rows chosen uniformly at random by a seeded shuffle, in file order. */
    static List<Dataset.Row> sample(List<Dataset.Row> rows, int n, long seed) {
        if (n < 1) throw new EngineException("--sample must be at least 1, got " + n);
        if (n >= rows.size()) return rows;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) order.add(i);
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        return order.subList(0, n).stream().sorted().map(rows::get).toList();
    }

    /**
     * Fits the task to the data's labels: a task whose labels come per call gets them as its param;
     * a task with fixed labels is restricted to those the data has (unless --all-choices).
     * @return the format that restricts the answer, or null
     */
    private StructuredOutput restriction(TaskDefinition task, List<String> goldLabels, Map<String, Object> params) {
        OutputSpec o = task.output();
        if (o.kind() != OutputSpec.Kind.CHOICES) {
            throw new EngineException("task '" + task.name() + "' answers " + TaskList.output(o) + "; eval needs a task whose answer is one of a set of labels");
        }
        if (o.param() != null) {
            params.put(o.param(), goldLabels);
            return null;
        }
        for (String l : goldLabels) {
            if (!o.choices().contains(l)) {
                throw new EngineException("the data has the label '" + l + "', which task '" + task.name() + "' never answers (it answers "
                        + String.join(", ", o.choices()) + "); map the data's labels with --labels, e.g. 1=positive,0=negative");
            }
        }
        if (allChoices) return null;
        return StructuredOutput.choices(o.choices().stream().filter(goldLabels::contains).toList());
    }
}
