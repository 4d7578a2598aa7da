package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KbConfig;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create an empty knowledge base.")
final class KbCreate extends KbSubcommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "384", description = "Chunk size in tokens, 128-1024 (default: ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "64", description = "Tokens a chunk repeats from the previous one (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Mixin
    EmbedderOptions embedding;

    @Override
    int run(KnowledgeBases bases) {
        ChunkingOptions chunking = new ChunkingOptions(chunkTokens, overlap);
        KbConfig config = bases.create(name, embedding.config(chunking)).config();
        out().printf("created knowledge base '%s' in %s (%s, %d-token chunks, %d overlap)%n", name, bases.dir(name), EmbedderOptions.describe(config),
                chunkTokens, overlap);
        return 0;
    }
}
