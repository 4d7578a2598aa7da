package dev.edgebox.knowledge.testing;

import dev.edgebox.knowledge.chunk.TokenCounter;
import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.embed.Embedders;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import java.util.Arrays;
import java.util.List;

/**
 * Stands in for a bundled model under its id and vector size, with the model-free embedder's
 * vectors (zero-padded): tests of what is chosen and stored need no ONNX model.
 */
public final class StandInEmbedder implements Embedder {
    private final String id;
    private final int dimension;
    private final HashingEmbedder hashing = new HashingEmbedder();

    public StandInEmbedder(String id) {
        this.id = id;
        this.dimension = Embedders.dimension(id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embedQuery(String query) {
        return Arrays.copyOf(hashing.embedQuery(query), dimension);
    }

    @Override
    public List<float[]> embedPassages(List<String> passages) {
        return hashing.embedPassages(passages).stream().map(v -> Arrays.copyOf(v, dimension)).toList();
    }

    @Override
    public TokenCounter tokenCounter() {
        return hashing.tokenCounter();
    }
}
