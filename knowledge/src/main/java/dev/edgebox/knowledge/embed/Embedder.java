package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.chunk.TokenCounter;
import java.util.List;

/**
 * Turns text into unit-length vectors. Queries and passages are embedded differently because
 * retrieval models are trained with an instruction on the query side.
 */
public interface Embedder extends AutoCloseable {

    /** Stable name stored with a knowledge base; a base is only searched with the embedder that built it. */
    String id();

    int dimension();

    float[] embedQuery(String query);

    /** One vector per passage, in order. */
    List<float[]> embedPassages(List<String> passages);

    /** The model's own tokenizer: chunk sizes are measured in its tokens. */
    TokenCounter tokenCounter();

    @Override
    default void close() {}

    /** Scales a vector to length 1 in place (a zero vector stays zero). */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) sum += x * x;
        if (sum == 0) return v;
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }
}
