package dev.edgebox.app.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgebox.app.Main;
import dev.edgebox.app.Shared;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.server.tasks.TaskDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgebox task} and {@code edgebox task eval} end to end on the tiny Qwen2 model (random
 * weights: answers are valid labels but meaningless, so only the machinery is checked): batch
 * output, resuming after a kill (a cut-off last line) and after a stop, and eval's numbers
 * recomputed from its own predictions file.
 */
class TaskCliTest {
    static final String QWEN = "reference/models/tiny-qwen2/tiny-qwen2-q8_0.gguf";

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) out.add(ResultFile.JSON.readTree(l));
        return out;
    }

    static Set<Integer> lineNumbers(List<JsonNode> results) {
        Set<Integer> s = new TreeSet<>();
        for (JsonNode r : results) assertTrue(s.add(r.path("line").asInt()), "each input line answered once: " + results);
        return s;
    }

    Path input(int n) throws Exception {
        Path in = tmp.resolve("in.jsonl");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) b.append("{\"id\":\"r").append(i).append("\",\"review\":\"review number ").append(i).append(" 很好\"}\n");
        Files.writeString(in, b.toString());
        return in;
    }

    @Test
    void batchWritesEveryLineAndResumesAfterAKill() throws Exception {
        String model = Shared.require(QWEN).toString();
        Path in = input(6), out = tmp.resolve("out.jsonl");
        String[] args = {"task", "classify", "-m", model, "-t", "1", "-np", "3", "--tasks-dir", "off", "--in", in.toString(), "--out", out.toString(),
                "--field", "review", "--id-field", "id", "--params", "{\"labels\":[\"good\",\"bad\"]}"};
        Run first = run(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("6/6  100.0%"), "progress bar: " + first.err());
        List<JsonNode> results = lines(out);
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), lineNumbers(results));
        Map<Integer, JsonNode> byLine = new HashMap<>();
        for (JsonNode r : results) {
            assertEquals("r" + r.path("line").asInt(), r.path("id").asText());
            assertTrue(Set.of("good", "bad").contains(r.path("output").asText()), r.toString());
            assertEquals("stop", r.path("finish_reason").asText());
            byLine.put(r.path("line").asInt(), r);
        }

        // A kill: lines 2 and 5 never written, and the last write cut off mid-line.
        StringBuilder kept = new StringBuilder();
        for (JsonNode r : results) if (r.path("line").asInt() != 2 && r.path("line").asInt() != 5) kept.append(r).append('\n');
        kept.append("{\"line\":5,\"output\":\"go");
        Files.writeString(out, kept.toString());
        Run again = run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("4 of 6 items already in"), again.err());
        List<JsonNode> resumed = lines(out);
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), lineNumbers(resumed));
        // Greedy answers do not depend on which items shared a batch: the redone lines match the first run.
        for (JsonNode r : resumed) assertEquals(byLine.get(r.path("line").asInt()).path("output"), r.path("output"), r.toString());

        // Nothing left: a third run does nothing.
        Run third = run(args);
        assertTrue(third.err().contains("6 of 6 items already in"), third.err());
        assertEquals(6, lines(out).size());
    }

    @Test
    void badParamsFailBeforeTheBatchAndWriteNothing() throws Exception {
        String model = Shared.require(QWEN).toString();
        Path in = input(3), out = tmp.resolve("bad-params.jsonl");
        Run r = run("task", "classify", "-m", model, "-t", "1", "--tasks-dir", "off", "--in", in.toString(), "--out", out.toString(),
                "--field", "review", "--params", "{\"labels\":\"good\"}");
        assertNotEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--params") && r.err().contains("labels"), r.err());
        assertTrue(!Files.exists(out), "no output file for a batch that cannot run");
    }

    @Test
    void aStoppedBatchWritesOnlyFinishedItemsAndTheRestFollowOnResume() throws Exception {
        String model = Shared.require(QWEN).toString();
        Path in = input(8), out = tmp.resolve("stopped.jsonl");
        List<BatchRunner.Item> items = TaskCommand.readInput(in, "review", "id");
        AtomicInteger written = new AtomicInteger();
        try (LocalTasks local = new LocalTasks(Path.of(model), ModelOptions.defaults().withThreads(1), 2, null, 64);
             ResultFile results = ResultFile.open(out, 8)) {
            TaskDefinition task = local.tasks().registry().get("sentiment");
            BatchRunner batch = new BatchRunner(local.tasks().runner(), task, Map.of(), null, local.inFlight());
            Progress quiet = new Progress(new PrintWriter(PrintWriter.nullWriter()), false, 8, 0, System::nanoTime);
            batch.run(items, (item, r, error) -> {
                results.append(TaskCommand.line(item, r, error));
                if (written.incrementAndGet() == 2) batch.stop(); // Ctrl-C after two answers
            }, quiet);
            assertTrue(batch.stopped());
        }
        List<JsonNode> partial = lines(out);
        assertTrue(partial.size() >= 2 && partial.size() < 8, "stopped early: " + partial.size());
        for (JsonNode r : partial) assertTrue(Set.of("positive", "negative", "neutral").contains(r.path("output").asText()), r.toString());

        Run resume = run("task", "sentiment", "-m", model, "-t", "1", "--tasks-dir", "off", "--in", in.toString(), "--out", out.toString(),
                "--field", "review");
        assertEquals(0, resume.code(), resume.err());
        assertEquals(Set.copyOf(IntStream.rangeClosed(1, 8).boxed().toList()), lineNumbers(lines(out)));
    }

    @Test
    void evalPrintsMetricsThatItsPredictionsBearOut() throws Exception {
        String model = Shared.require(QWEN).toString();
        Path data = tmp.resolve("reviews.csv");
        Files.writeString(data, "label,review\n1,\"好吃, 量大\"\n0,太慢了\n1,great\n0,\"cold, late\"\n1,fine\n");
        Path predictions = tmp.resolve("pred.jsonl");
        Run r = run("task", "eval", "sentiment", "-m", model, "-t", "1", "--tasks-dir", "off", "--data", data.toString(), "--text-field", "review",
                "--label-field", "label", "--labels", "1=positive,0=negative", "--predictions", predictions.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode m = ResultFile.JSON.readTree(r.out());
        assertEquals(5, m.path("items").asInt());

        // Recompute from the predictions: the restricted grammar allows only the data's two labels.
        List<String> gold = new ArrayList<>(), predicted = new ArrayList<>();
        for (JsonNode p : lines(predictions)) {
            gold.add(p.path("label").asText());
            predicted.add(p.path("output").asText());
            assertTrue(Set.of("positive", "negative").contains(p.path("output").asText()), p.toString());
        }
        ClassificationMetrics expected = new ClassificationMetrics(gold, predicted);
        assertEquals(expected.accuracy(), m.path("accuracy").asDouble(), 1e-12);
        assertEquals(expected.macroF1(), m.path("macro_f1").asDouble(), 1e-12);
        assertEquals(expected.confusion()[0][0], m.path("confusion").path("negative").path("negative").asInt());

        // Resumed from the predictions file: nothing is generated again, the numbers are the same.
        Run again = run("task", "eval", "sentiment", "-m", model, "-t", "1", "--tasks-dir", "off", "--data", data.toString(), "--text-field",
                "review", "--label-field", "label", "--labels", "1=positive,0=negative", "--predictions", predictions.toString());
        assertTrue(again.err().contains("5 of 5 predictions already in"), again.err());
        assertTrue(again.out().contains("items 5, correct " + expected.correct()), again.out());
        assertTrue(again.out().contains("confusion matrix (rows: gold, columns: predicted)"), again.out());
    }

    @Test
    void evalOnTheSharedSentimentSets() {
        String model = Shared.require(QWEN).toString();
        String sst = Shared.require("data/sst2/dev.tsv").toString();
        Run r = run("task", "eval", "sentiment", "-m", model, "-t", "1", "--tasks-dir", "off", "--data", sst, "--text-field", "sentence",
                "--label-field", "label", "--labels", "1=positive,0=negative", "--sample", "6", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"items\":6"), r.out());
        String yelp = Shared.require("data/sentiment_labelled_sentences/yelp_labelled.txt").toString();
        r = run("task", "eval", "sentiment", "-m", model, "-t", "1", "--tasks-dir", "off", "--data", yelp, "--no-header", "--text-field", "0",
                "--label-field", "1", "--labels", "1=positive,0=negative", "--limit", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("items 4"), r.out());
        // Unmapped labels are an error that says what to do.
        r = run("task", "eval", "sentiment", "-m", model, "--tasks-dir", "off", "--data", yelp, "--no-header", "--text-field", "0", "--label-field", "1",
                "--limit", "4");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("never answers") && r.err().contains("--labels"), r.err());
    }

    @Test
    void listAndErrors() throws Exception {
        Run list = run("task", "list", "--tasks-dir", "off");
        assertEquals(0, list.code());
        assertTrue(list.out().startsWith("sentiment    one of positive/negative/neutral"), list.out());
        Path in = input(1);
        Run bad = run("task", "sentiment", "-m", Shared.require(QWEN).toString(), "--tasks-dir", "off", "--in", in.toString(), "--out",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("line 1 has no text field 'text'; name the field with --field"), bad.err());
        Files.writeString(tmp.resolve("foreign.jsonl"), "{\"line\":40,\"output\":\"x\"}\n");
        bad = run("task", "sentiment", "-m", Shared.require(QWEN).toString(), "--tasks-dir", "off", "--in", in.toString(), "--field", "review",
                "--out", tmp.resolve("foreign.jsonl").toString());
        assertTrue(bad.err().contains("belongs to another input"), bad.err());
        bad = run("task", "nope", "-m", Shared.require(QWEN).toString(), "--tasks-dir", "off", "--in", in.toString(), "--out", tmp.resolve("o.jsonl").toString());
        assertTrue(bad.err().contains("no task 'nope'"), bad.err());
    }
}
