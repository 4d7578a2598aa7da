package dev.edgebox.knowledge.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.knowledge.KnowledgeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval test collection in the BEIR layout: corpus.jsonl ({"_id","title","text"}),
 * queries.jsonl ({"_id","text"}) and a qrels TSV (query id, document id, grade; a header line is
 * optional).
 */
public record BeirDataset(List<Doc> corpus, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

    public record Doc(String id, String title, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static BeirDataset load(Path corpus, Path queries, Path qrels) {
        return new BeirDataset(readCorpus(corpus), readQueries(queries), readQrels(qrels));
    }

    public static List<Doc> readCorpus(Path file) {
        List<Doc> docs = new ArrayList<>();
        forEachJsonLine(file, n -> docs.add(new Doc(text(n, "_id", file), n.path("title").asText(""), n.path("text").asText(""))));
        return docs;
    }

    public static Map<String, String> readQueries(Path file) {
        Map<String, String> q = new LinkedHashMap<>();
        forEachJsonLine(file, n -> q.put(text(n, "_id", file), text(n, "text", file)));
        return q;
    }

    /** Query id to (document id to grade); grades of 0 or less are kept but do not count as relevant. */
    public static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String[] f = line.trim().split("\\s+");
                if (f.length == 4) f = new String[] {f[0], f[2], f[3]}; // TREC layout: qid Q0 docid grade
                if (f.length != 3) throw new KnowledgeException(file + " line " + n + ": expected 'query-id<TAB>corpus-id<TAB>score'");
                int grade;
                try {
                    grade = Integer.parseInt(f[2]);
                } catch (NumberFormatException e) {
                    if (n == 1) continue; // header
                    throw new KnowledgeException(file + " line " + n + ": score '" + f[2] + "' is not an integer");
                }
                qrels.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], grade);
            }
        } catch (IOException e) {
            throw new KnowledgeException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return qrels;
    }

    private interface LineHandler {
        void accept(JsonNode node);
    }

    private static void forEachJsonLine(Path file, LineHandler handler) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    handler.accept(JSON.readTree(line));
                } catch (IOException | RuntimeException e) {
                    throw new KnowledgeException(file + " line " + n + ": not a JSON object (" + e.getMessage() + ")", e);
                }
            }
        } catch (IOException e) {
            throw new KnowledgeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, Path file) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new KnowledgeException(file + ": a record has no '" + field + "'");
        return v.asText();
    }
}
