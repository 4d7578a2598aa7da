package dev.edgebox.knowledge.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.SentenceSplitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval collection made from a reading-comprehension file in the SQuAD layout (SQuAD, CMRC
 * 2018, DRCD): every question is a query. With {@link Unit#PARAGRAPH} the paragraphs are the corpus
 * and the paragraph a question was asked about is its one relevant document. With
 * {@link Unit#SENTENCE} (as ReQA does) every sentence is a document and the sentences holding the
 * answer are relevant: neighbouring sentences share the topic, so this is the harder test. The
 * article title is every document's title.
 */
public final class SquadRetrievalSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a document of the collection is. */
    public enum Unit { PARAGRAPH, SENTENCE }

    private SquadRetrievalSet() {}

    public static BeirDataset load(Path file) {
        return load(file, Unit.PARAGRAPH);
    }

    public static BeirDataset load(Path file, Unit unit) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new KnowledgeException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
        JsonNode articles = root == null ? null : root.get("data");
        if (articles == null || !articles.isArray()) {
            throw new KnowledgeException(file + " is not in the SQuAD layout; expected {\"data\": [{\"title\", \"paragraphs\": [...]}]}");
        }
        List<BeirDataset.Doc> corpus = new ArrayList<>();
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        int a = 0;
        for (JsonNode article : articles) {
            String title = article.path("title").asText("");
            int p = 0;
            for (JsonNode paragraph : article.path("paragraphs")) {
                String context = paragraph.path("context").asText("");
                // CMRC gives paragraphs ids; SQuAD does not
                String docId = paragraph.hasNonNull("id") ? paragraph.get("id").asText() : "a" + a + "p" + p;
                p++;
                if (context.isBlank()) continue;
                List<int[]> spans = unit == Unit.SENTENCE ? sentenceSpans(context) : List.of(new int[] {0, context.length()});
                for (int s = 0; s < spans.size(); s++) {
                    String text = context.substring(spans.get(s)[0], spans.get(s)[1]);
                    corpus.add(new BeirDataset.Doc(unit == Unit.SENTENCE ? docId + "-s" + s : docId, title, text));
                }
                int q = 0;
                for (JsonNode qa : paragraph.path("qas")) {
                    String question = qa.path("question").asText("");
                    String queryId = qa.hasNonNull("id") ? qa.get("id").asText() : docId + "q" + q;
                    q++;
                    if (question.isBlank()) continue;
                    Map<String, Integer> relevant = new LinkedHashMap<>();
                    if (unit == Unit.PARAGRAPH) relevant.put(docId, 1);
                    else {
                        for (JsonNode answer : qa.path("answers")) {
                            String text = answer.path("text").asText("");
                            int from = locate(context, text, answer.path("answer_start").asInt(-1));
                            if (from < 0) continue;
                            int to = from + Math.max(1, text.length());
                            for (int s = 0; s < spans.size(); s++) {
                                if (spans.get(s)[0] < to && spans.get(s)[1] > from) relevant.put(docId + "-s" + s, 1);
                            }
                        }
                    }
                    if (relevant.isEmpty()) continue; // no answer to locate
                    queries.put(queryId, question);
                    qrels.put(queryId, relevant);
                }
            }
            a++;
        }
        if (corpus.isEmpty()) throw new KnowledgeException(file + " holds no paragraphs");
        return new BeirDataset(corpus, queries, qrels);
    }

    /**
     * Where an answer starts: at its recorded offset when the text is there, else its occurrence
     * nearest to it (files differ on whether offsets count UTF-16 units or code points); -1 if absent.
     */
    static int locate(String context, String answer, int start) {
        if (answer.isEmpty()) return start >= 0 && start < context.length() ? start : -1;
        if (start >= 0 && context.startsWith(answer, start)) return start;
        int best = -1;
        for (int i = context.indexOf(answer); i >= 0; i = context.indexOf(answer, i + 1)) {
            if (best < 0 || Math.abs(i - start) < Math.abs(best - start)) best = i;
        }
        return best;
    }

    /** Start and end offsets of the sentences of a paragraph, as the chunker splits them. */
    static List<int[]> sentenceSpans(String paragraph) {
        List<int[]> spans = new ArrayList<>();
        int at = 0;
        for (String sentence : SentenceSplitter.split(paragraph)) {
            int from = paragraph.indexOf(sentence, at);
            if (from < 0) throw new IllegalStateException("sentence not found in its paragraph: " + sentence);
            spans.add(new int[] {from, from + sentence.length()});
            at = from + sentence.length();
        }
        return spans;
    }
}
