package dev.edgebox.app.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kb commands end to end, through Main, with the model-free embedder. */
class KbCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 2];
            all[0] = "kb";
            all[1] = "--dir=" + tmp.resolve("kbs");
            System.arraycopy(args, 0, all, 2, args.length);
            int code = Main.execute(all);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void createAddQueryListStatsRemove() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("safety.md"), "# Safety\n\nPress the red button to stop the machine.\n");
        Files.writeString(docs.resolve("维护.txt"), "设备每周保养一次。操作时必须佩戴护目镜。\n");
        Files.writeString(docs.resolve("ignored.bin"), "not a document");

        Run create = run("create", "manuals", "--embedder", "hashing", "--chunk-tokens", "256", "--overlap", "32");
        assertEquals(0, create.code(), create.err());
        assertTrue(create.out().startsWith("created knowledge base 'manuals'"), create.out());

        Run add = run("add", "manuals", docs.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().startsWith("manuals: 2 added, 0 updated, 0 unchanged, 0 failed; 0 pages, 2 chunks"), add.out());
        assertTrue(add.err().contains("[2/2] 维护.txt: added, 0 pages, 1 chunks; "), "progress per file: " + add.err());
        assertTrue(add.err().contains("chunks/s, ETA "), add.err());
        assertTrue(run("add", "manuals", docs.toString()).out().contains("0 added, 0 updated, 2 unchanged"));

        Run query = run("query", "manuals", "--json", "-k", "1", "how", "to", "stop", "the", "machine");
        assertEquals(0, query.code(), query.err());
        JsonNode hit = new ObjectMapper().readTree(query.out().lines().findFirst().orElseThrow());
        assertEquals(docs.resolve("safety.md").toAbsolutePath().toString(), hit.get("doc_id").asText());
        assertEquals("Press the red button to stop the machine.", hit.get("text").asText());

        Run plain = run("query", "manuals", "护目镜", "--mode", "bm25");
        assertTrue(plain.out().startsWith("[1] "), plain.out());
        assertTrue(plain.out().contains("维护.txt"), plain.out());

        Run context = run("query", "manuals", "stop the machine", "--context", "200", "-k", "2");
        assertTrue(context.out().contains("[1] safety.md (Safety)\nPress the red button to stop the machine."), context.out());
        assertTrue(context.out().contains("Question: stop the machine"), context.out());

        assertTrue(run("list").out().startsWith("manuals "), "lists bases");
        assertEquals(2, run("list", "manuals").out().lines().count());
        JsonNode stats = new ObjectMapper().readTree(run("stats", "manuals", "--json").out());
        assertEquals(2, stats.get("documents").asInt());
        assertEquals(256, stats.get("chunk_tokens").asInt());

        Run rm = run("rm", "manuals", "safety.md");
        assertEquals(0, rm.code(), rm.err());
        assertEquals(1, run("list", "manuals").out().lines().count());
        assertEquals(0, run("rm", "manuals", "--drop").code());
        assertTrue(run("list").out().startsWith("no knowledge bases"));
    }

    @Test
    void userErrorsAreOneLine() {
        Run missing = run("query", "nope", "anything");
        assertEquals(1, missing.code());
        assertEquals(List.of("edgebox: no knowledge base named 'nope' in " + tmp.resolve("kbs").toAbsolutePath()
                + "; create it with 'edgebox kb create nope'"), missing.err().lines().toList());
        Run badSize = run("create", "x", "--chunk-tokens", "5000");
        assertEquals(List.of("edgebox: chunk size 5000 tokens is out of range; expected 128 to 1024"), badSize.err().lines().toList());
        assertEquals(List.of("edgebox: bad knowledge base name '../x'; expected letters, digits, '.', '_' or '-' (at most 64, not starting with a symbol)"),
                run("create", "../x").err().lines().toList());
    }

    @Test
    void evalPrintsTheThreeMetricsAsJson() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("corpus.jsonl"), """
                {"_id":"d1","title":"Press safety","text":"Press the red button to stop the machine."}
                {"_id":"d2","title":"Maintenance","text":"Oil the bearings every week."}
                {"_id":"d3","title":"Filters","text":"Replace the hydraulic filter every three months."}
                """);
        Files.writeString(data.resolve("queries.jsonl"), """
                {"_id":"q1","text":"how do I stop the machine"}
                {"_id":"q2","text":"when to replace the filter"}
                """);
        Files.writeString(data.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n");
        Run eval = run("eval", "--corpus", data.resolve("corpus.jsonl").toString(), "--queries", data.resolve("queries.jsonl").toString(),
                "--qrels", data.resolve("qrels.tsv").toString(), "--mode", "all", "--embedder", "hashing", "--json");
        assertEquals(0, eval.code(), eval.err());
        List<String> lines = eval.out().lines().toList();
        assertEquals(3, lines.size(), eval.out());
        for (String line : lines) {
            JsonNode o = new ObjectMapper().readTree(line);
            assertEquals(1.0, o.get("ndcg@10").asDouble(), 1e-9, line);
            assertEquals(1.0, o.get("recall@100").asDouble(), 1e-9, line);
            assertEquals(1.0, o.get("mrr@10").asDouble(), 1e-9, line);
            assertEquals(2, o.get("queries").asInt());
        }
        assertEquals(List.of("bm25", "vector", "hybrid"), lines.stream().map(l -> l.replaceAll(".*\"mode\":\"(\\w+)\".*", "$1")).toList());
    }

    @Test
    void benchBuildsAnIndexOfTheAskedSizeAndTimesEveryMode() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("bench"));
        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            corpus.append("{\"_id\":\"d").append(i).append("\",\"title\":\"Part ").append(i)
                    .append("\",\"text\":\"The press number ").append(i).append(" needs oil every ").append(i % 7 + 1)
                    .append(" weeks. Its filter is replaced in spring.\"}\n");
        }
        Files.writeString(data.resolve("corpus.jsonl"), corpus);
        Run bench = run("bench", "--chunks", "300", "--queries", "5", "--skip", "ingest,embed", "--embedder", "hashing",
                "--corpus", data.resolve("corpus.jsonl").toString(), "--kb-dir", tmp.resolve("index").toString(), "--json");
        assertEquals(0, bench.code(), bench.err());
        JsonNode o = new ObjectMapper().readTree(bench.out());
        assertEquals(300, o.at("/index/chunks").asInt(), bench.out());
        assertEquals(40, o.at("/index/seed_chunks").asInt(), bench.out());
        assertEquals(38, o.at("/index/documents").asInt(), "8 chunks a document: " + bench.out());
        assertEquals(List.of("bm25", "vector", "hybrid"), o.get("query").findValuesAsText("mode"));
        for (JsonNode q : o.get("query")) {
            assertEquals(5, q.get("queries").asInt());
            assertTrue(q.get("p99_ms").asDouble() >= q.get("p50_ms").asDouble(), q.toString());
        }
        assertTrue(o.at("/index/copy_cosine").asDouble() > 0.8 && o.at("/index/copy_cosine").asDouble() < 1, bench.out());

        Run again = run("bench", "--chunks", "300", "--queries", "5", "--skip", "ingest,embed", "--embedder", "hashing",
                "--corpus", data.resolve("corpus.jsonl").toString(), "--kb-dir", tmp.resolve("index").toString(), "--json");
        assertEquals(0, again.code(), again.err());
        JsonNode reused = new ObjectMapper().readTree(again.out());
        assertTrue(reused.at("/index/reused").asBoolean(), again.out());
        assertEquals(300, reused.at("/index/chunks").asInt());
    }
}
