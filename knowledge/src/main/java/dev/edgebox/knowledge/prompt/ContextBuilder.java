package dev.edgebox.knowledge.prompt;

import dev.edgebox.knowledge.KbQuery;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.SentenceSplitter;
import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.edgebox.knowledge.index.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a prompt context from retrieved chunks: best first, each numbered with its file and page,
 * until the token budget is spent; the first source is shortened sentence by sentence if even it
 * does not fit.
 */
public final class ContextBuilder {
    private final TokenCounter counter;
    private final int budget;

    /**
     * @param counter the tokenizer of the model that will read the prompt
     * @param budgetTokens tokens the sources block may take
     */
    public ContextBuilder(TokenCounter counter, int budgetTokens) {
        if (budgetTokens < 32) throw new KnowledgeException("context budget " + budgetTokens + " tokens is too small; expected at least 32");
        this.counter = counter;
        this.budget = budgetTokens;
    }

    /** Retrieves {@code q.k()} chunks and builds the context for the question. */
    public PromptContext build(KnowledgeBase kb, KbQuery q) {
        return build(q.text(), kb.query(q));
    }

    public PromptContext build(String question, List<SearchHit> hits) {
        List<Source> sources = new ArrayList<>();
        StringBuilder context = new StringBuilder();
        int used = 0;
        for (SearchHit hit : hits) {
            int number = sources.size() + 1;
            String header = header(number, hit);
            String separator = context.isEmpty() ? "" : "\n\n";
            String text = hit.chunk().text();
            int cost = counter.count(separator + header + "\n" + text);
            if (used + cost > budget) {
                if (!sources.isEmpty()) break;
                text = shorten(text, budget - counter.count(header + "\n"));
                if (text.isEmpty()) break;
                cost = counter.count(header + "\n" + text);
            }
            context.append(separator).append(header).append('\n').append(text);
            used += cost;
            sources.add(new Source(number, hit.chunk(), text, hit.score()));
        }
        return new PromptContext(question, context.toString(), sources, used);
    }

    private static String header(int number, SearchHit hit) {
        var c = hit.chunk();
        String where = c.location().isEmpty() ? c.fileName() : c.fileName() + ", " + c.location();
        String section = c.headings().isEmpty() ? "" : " (" + String.join(" > ", c.headings()) + ")";
        return "[" + number + "] " + where + section;
    }

    /** The longest run of whole sentences from the start that fits; words if one sentence is too long. */
    private String shorten(String text, int tokens) {
        StringBuilder sb = new StringBuilder();
        for (String s : SentenceSplitter.split(text)) {
            String next = sb.isEmpty() ? s : sb + " " + s;
            if (counter.count(next) > tokens) break;
            sb.setLength(0);
            sb.append(next);
        }
        if (!sb.isEmpty()) return sb.toString();
        String[] words = text.split("\\s+");
        for (String w : words) {
            String next = sb.isEmpty() ? w : sb + " " + w;
            if (counter.count(next) > tokens) break;
            sb.setLength(0);
            sb.append(next);
        }
        return sb.toString();
    }
}
