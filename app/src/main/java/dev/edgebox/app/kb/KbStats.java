package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.index.DocumentRecord;
import dev.edgebox.knowledge.index.IndexStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = "Settings, counts and size of a knowledge base.")
final class KbStats extends KbSubcommand {
    /** What --json prints. */
    record Summary(String name, String embedder, int dimension, int chunkTokens, int overlapTokens, int documents, int chunks,
                   long bytesOnDisk, int segments) {
        Summary(String name, KbConfig c, IndexStats s) {
            this(name, c.embedder(), c.dimension(), c.chunkTokens(), c.overlapTokens(), s.documents(), s.chunks(), s.bytesOnDisk(),
                    s.segments());
        }
    }

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Override
    int run(KnowledgeBases bases) throws Exception {
        KnowledgeBase kb = bases.get(name);
        IndexStats s = kb.stats();
        KbConfig c = kb.config();
        if (json) {
            out().println(KbQueryCommand.JSON.writeValueAsString(new Summary(name, c, s)));
            return 0;
        }
        long pages = kb.documents().stream().mapToLong(DocumentRecord::pages).sum();
        out().printf("knowledge base  %s (%s)%n", name, kb.dir());
        if (c.undecided()) out().printf("embedder        %s%n", EmbedderOptions.describe(c));
        else out().printf("embedder        %s, %d dimensions, int8 HNSW%n", c.embedder(), c.dimension());
        out().printf("chunking        %d tokens, %d overlap%n", c.chunkTokens(), c.overlapTokens());
        out().printf("documents       %d (%d pages or slides)%n", s.documents(), pages);
        out().printf("chunks          %d%n", s.chunks());
        out().printf("size on disk    %.1f MB in %d segments%n", s.bytesOnDisk() / 1e6, s.segments());
        return 0;
    }
}
