package dev.edgebox.app.kb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.edgebox.knowledge.KbQuery;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.index.Fusion;
import dev.edgebox.knowledge.index.SearchHit;
import dev.edgebox.knowledge.index.SearchMode;
import dev.edgebox.knowledge.index.StoredChunk;
import dev.edgebox.knowledge.prompt.ContextBuilder;
import dev.edgebox.knowledge.prompt.PromptContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", description = "Search a knowledge base; prints the best chunks with their scores, file and page.")
final class KbQueryCommand extends KbSubcommand {
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT")
    List<String> words;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "5", description = "Chunks to return (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid", description = "bm25, vector or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--fusion", paramLabel = "F", defaultValue = "rrf",
            description = "Hybrid fusion: rrf (default) or weighted[:vector-weight], e.g. weighted:0.6.")
    String fusion;

    @Option(names = "--source", paramLabel = "GLOB", description = "Only documents whose path, file name or id matches (repeatable; * and ?).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--context", paramLabel = "TOKENS",
            description = "Print the prompt context for an LLM instead: numbered sources within this token budget.")
    Integer contextBudget;

    @Option(names = "--json", description = "One JSON object per chunk.")
    boolean json;

    @Override
    int run(KnowledgeBases bases) throws Exception {
        KnowledgeBase kb = bases.get(name);
        KbQuery q = new KbQuery(String.join(" ", words), SearchMode.parse(mode), k, sources, Fusion.parse(fusion));
        if (contextBudget != null) {
            PromptContext c = new ContextBuilder(kb.embedder().tokenCounter(), contextBudget).build(kb, q);
            out().println(c.userMessage());
            return 0;
        }
        List<SearchHit> hits = kb.query(q);
        if (hits.isEmpty() && !json) out().println("no matches");
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            StoredChunk c = h.chunk();
            if (json) {
                out().println(JSON.writeValueAsString(Map.of("rank", i + 1, "score", h.score(), "doc_id", c.docId(), "source", c.source(),
                        "page", c.page(), "last_page", c.lastPage(), "headings", c.headings(), "chunk", c.ordinal(), "text", c.text())));
            } else {
                String where = c.location().isEmpty() ? c.fileName() : c.fileName() + ", " + c.location();
                out().printf("[%d] %.4f  %s%s%n", i + 1, h.score(), where, c.headings().isEmpty() ? "" : "  (" + String.join(" > ", c.headings()) + ")");
                out().println(indent(c.text()));
            }
        }
        return 0;
    }

    private static String indent(String text) {
        String t = text.length() > 600 ? text.substring(0, 600) + " ..." : text;
        return "    " + t.replace("\n", "\n    ");
    }
}
