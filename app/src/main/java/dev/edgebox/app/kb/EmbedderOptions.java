package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.Embedders;
import picocli.CommandLine.Option;

/** How a new knowledge base gets its embedder: from a language (auto by default) or by name. */
final class EmbedderOptions {
    @Option(names = "--language", paramLabel = "LANG", defaultValue = KbConfig.AUTO,
            description = "auto (default: bge-small-en for English documents, bge-small-zh for Chinese or mixed, decided by the first documents added), zh or en.")
    String language;

    @Option(names = "--embedder", paramLabel = "ID",
            description = "A named embedder instead of a language: bge-small-zh-v1.5-q, bge-small-en-v1.5-q or hashing (no model, keyword-like).")
    String embedder;

    KbConfig config(ChunkingOptions chunking) {
        return embedder != null ? KbConfig.of(embedder, Embedders.dimension(embedder), chunking) : KbConfig.forLanguage(language, chunking);
    }

    /** The embedder of a base, or what will choose it. */
    static String describe(KbConfig c) {
        return c.undecided() ? "language " + c.language() + ", embedder chosen by the first documents" : c.embedder();
    }
}
