package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.List;

/** Embedders by the id a knowledge base records. */
public final class Embedders {
    public static final String DEFAULT = "bge-small-zh-v1.5-q"; // BgeEmbedder.ZH; a constant for annotations

    private Embedders() {}

    public static List<String> ids() {
        return List.of(BgeEmbedder.ZH.id(), BgeEmbedder.EN.id(), HashingEmbedder.ID);
    }

    /** The vector size of an embedder, without loading it. */
    public static int dimension(String id) {
        if (id.equals(BgeEmbedder.ZH.id())) return BgeEmbedder.ZH.dimension();
        if (id.equals(BgeEmbedder.EN.id())) return BgeEmbedder.EN.dimension();
        if (id.equals(HashingEmbedder.ID)) return HashingEmbedder.DIMENSION;
        throw unknown(id);
    }

    public static Embedder create(String id) {
        if (id.equals(BgeEmbedder.ZH.id())) return new BgeEmbedder(BgeEmbedder.ZH);
        if (id.equals(BgeEmbedder.EN.id())) return new BgeEmbedder(BgeEmbedder.EN);
        if (id.equals(HashingEmbedder.ID)) return new HashingEmbedder();
        throw unknown(id);
    }

    private static KnowledgeException unknown(String id) {
        return new KnowledgeException("unknown embedder '" + id + "'; expected one of " + String.join(", ", ids()));
    }
}
