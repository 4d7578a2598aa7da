package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.edgebox.knowledge.embed.CachedEmbedder;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.embed.Embedders;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedders for the measuring commands (eval, bench), each behind a {@link CachedEmbedder} in one
 * directory, so that measuring again costs no model time; without a directory, the shared models.
 * The model-free hashing embedder is never cached.
 */
final class EmbedderCache implements AutoCloseable {
    private final Path dir;
    private final KnowledgeBases bases;
    private final Map<String, CachedEmbedder> cached = new HashMap<>();

    /** @param dir the cache directory, or null for no cache */
    EmbedderCache(Path dir, KnowledgeBases bases) {
        this.dir = dir;
        this.bases = bases;
    }

    /** $EDGEBOX_HOME/cache/embeddings, or ~/.edgebox/cache/embeddings. */
    static Path defaultDir() {
        return KnowledgeBases.defaultRoot().getParent().resolve("cache").resolve("embeddings");
    }

    synchronized Embedder embedder(String id) {
        if (dir == null || id.equals(HashingEmbedder.ID)) return bases.embedder(id); // no model to save time on
        return cached.computeIfAbsent(id, i -> new CachedEmbedder(i, Embedders.dimension(i), () -> new Unowned(bases.embedder(i)), dir));
    }

    @Override
    public synchronized void close() {
        cached.values().forEach(CachedEmbedder::close);
        cached.clear();
    }

    /** The shared model seen through the cache, which closes what it was given: the bases close the model. */
    private record Unowned(Embedder model) implements Embedder {
        @Override
        public String id() {
            return model.id();
        }

        @Override
        public int dimension() {
            return model.dimension();
        }

        @Override
        public float[] embedQuery(String query) {
            return model.embedQuery(query);
        }

        @Override
        public List<float[]> embedPassages(List<String> passages) {
            return model.embedPassages(passages);
        }

        @Override
        public TokenCounter tokenCounter() {
            return model.tokenCounter();
        }
    }
}
