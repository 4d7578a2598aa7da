package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.List;

/** Embedders by the id a knowledge base records. */
public final class Embedders {
    public static final String DEFAULT = BgeSmallZhEmbedder.ID;

    private Embedders() {}

    public static List<String> ids() {
        return List.of(BgeSmallZhEmbedder.ID, HashingEmbedder.ID);
    }

    /** The vector size of an embedder, without loading it. */
    public static int dimension(String id) {
        return switch (id) {
            case BgeSmallZhEmbedder.ID -> BgeSmallZhEmbedder.DIMENSION;
            case HashingEmbedder.ID -> HashingEmbedder.DIMENSION;
            default -> throw new KnowledgeException("unknown embedder '" + id + "'; expected one of " + String.join(", ", ids()));
        };
    }

    public static Embedder create(String id) {
        return switch (id) {
            case BgeSmallZhEmbedder.ID -> new BgeSmallZhEmbedder();
            case HashingEmbedder.ID -> new HashingEmbedder();
            default -> throw new KnowledgeException("unknown embedder '" + id + "'; expected one of " + String.join(", ", ids()));
        };
    }
}
