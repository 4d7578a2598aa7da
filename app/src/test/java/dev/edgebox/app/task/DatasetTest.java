package dev.edgebox.app.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading labelled sets: TSV with and without a header, CSV with quotes, JSONL; label maps; sampling. */
class DatasetTest {
    @TempDir
    Path tmp;

    @Test
    void csvWithQuotedCommasNewlinesAndQuotes() throws Exception {
        Path f = tmp.resolve("reviews.csv");
        Files.writeString(f, "\uFEFFlabel,review\r\n1,\"好吃, 量大\"\r\n0,\"said \"\"never again\"\"\nand left\"\n1,plain\n");
        List<Dataset.Row> rows = Dataset.read(f, Dataset.formatOf(f, null), true, "review", "label");
        assertEquals(3, rows.size());
        assertEquals(new Dataset.Row(2, "好吃, 量大", "1"), rows.get(0));
        assertEquals(new Dataset.Row(3, "said \"never again\"\nand left", "0"), rows.get(1));
        assertEquals(new Dataset.Row(5, "plain", "1"), rows.get(2));
    }

    @Test
    void tsvHeaderOrColumnNumbers() throws Exception {
        Path f = tmp.resolve("dev.tsv");
        Files.writeString(f, "sentence\tlabel\nit 's a charming journey \t1\nflat \t0\n");
        assertEquals(List.of(new Dataset.Row(2, "it 's a charming journey", "1"), new Dataset.Row(3, "flat", "0")),
                Dataset.read(f, Dataset.Format.TSV, true, "sentence", "label"));
        Path txt = tmp.resolve("yelp_labelled.txt");
        Files.writeString(txt, "Wow... Loved this place.\t1\nCrust is not good.\t0\n");
        assertEquals(Dataset.Format.TSV, Dataset.formatOf(txt, null));
        assertEquals("0", Dataset.read(txt, Dataset.Format.TSV, false, "0", "1").get(1).label());
        EngineException e = assertThrows(EngineException.class, () -> Dataset.read(txt, Dataset.Format.TSV, true, "text", "label"));
        assertTrue(e.getMessage().contains("has no column 'text'") && e.getMessage().contains("--no-header"), e.getMessage());
        e = assertThrows(EngineException.class, () -> Dataset.read(txt, Dataset.Format.TSV, false, "text", "1"));
        assertTrue(e.getMessage().startsWith("--text-field must be a column number"), e.getMessage());
    }

    @Test
    void jsonlLabelsMayBeNumbers() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.writeString(f, "{\"t\":\"good\",\"y\":1}\n\n{\"t\":\"bad\",\"y\":\"neg\"}\n");
        assertEquals(List.of(new Dataset.Row(1, "good", "1"), new Dataset.Row(3, "bad", "neg")), Dataset.read(f, Dataset.Format.JSONL, true, "t", "y"));
    }

    @Test
    void labelMaps() {
        LabelMap m = LabelMap.parse("1=positive, 0=negative");
        assertEquals("positive", m.apply("1", "x"));
        assertEquals("negative", m.apply("0", "x"));
        EngineException e = assertThrows(EngineException.class, () -> m.apply("2", "data.tsv line 9"));
        assertEquals("data.tsv line 9 has the label '2', which --labels does not map (it maps [1, 0])", e.getMessage());
        assertEquals("2", LabelMap.parse(null).apply("2", "x"));
        assertThrows(EngineException.class, () -> LabelMap.parse("1:positive"));
    }

    @Test
    void sampleIsSeededAndKeepsFileOrder() {
        List<Dataset.Row> rows = java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> new Dataset.Row(i, "t" + i, "x")).toList();
        List<Dataset.Row> a = TaskEval.sample(rows, 10, 7), b = TaskEval.sample(rows, 10, 7);
        assertEquals(a, b);
        assertEquals(10, a.size());
        for (int i = 1; i < a.size(); i++) assertTrue(a.get(i - 1).line() < a.get(i).line());
        assertEquals(rows, TaskEval.sample(rows, 80, 7));
    }

    @Test
    void progressLine() {
        assertEquals("[###---------------------] 120/1000  12.0%  3.00 items/s  ETA 4:53", Progress.line(120, 1000, 120, 40));
        assertEquals("[########################] 5/5  100.0%  0.00 items/s  ETA --:--", Progress.line(5, 5, 0, 3));
        assertEquals("1:00:00", Progress.clock(3600));
    }
}
