package dev.edgebox.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.testing.Shared;
import dev.edgebox.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/** Embeddings pooled from a decoder's final hidden states. */
class MeanPoolingTest {
    static final String MODEL = "reference/models/stories260K/stories260K-f32.gguf";

    @Test
    void hiddenStatesAreWhatTheOutputProjectionReads() {
        try (Model m = Model.open(Shared.require(MODEL), new ModelOptions(1, 0, KvCache.Type.F32, 16))) {
            int dim = m.config().dim(), vocab = m.config().vocabSize();
            int[] ids = Tokenizer.fromMetadata(m.file().metadata()).encode("Once upon a time", true, false);
            Batch batch = new Batch(16);
            KvCache a = m.newSequence();
            for (int i = 0; i < ids.length; i++) batch.add(ids[i], i, a, true);
            float[] logits = m.forward(batch).clone();
            batch.clear();
            KvCache b = m.newSequence();
            for (int i = 0; i < ids.length; i++) batch.add(ids[i], i, b, false);
            float[] hidden = m.hiddenStates(batch).clone();
            float[] row = new float[dim];
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < vocab; v += 37) {
                    m.weights().output.row(v, row, 0);
                    double dot = 0;
                    for (int i = 0; i < dim; i++) dot += (double) row[i] * hidden[t * dim + i];
                    assertEquals(logits[t * vocab + v], dot, 1e-3, "token " + t + ", vocab entry " + v);
                }
            }
        }
    }

    @Test
    void embeddingIsUnitLengthAndIndependentOfChunking() {
        float[] whole, chunked;
        String text = "Lily and Ben went to the park to play with a red ball.";
        try (Model m = Model.open(Shared.require(MODEL), new ModelOptions(1, 0, KvCache.Type.F32, 64))) {
            int[] ids = Tokenizer.fromMetadata(m.file().metadata()).encode(text, true, false);
            whole = MeanPooling.embed(m, m.newSequence(), ids);
            float[] other = MeanPooling.embed(m, m.newSequence(), Tokenizer.fromMetadata(m.file().metadata()).encode("The sun was hot.", true, false));
            double cos = 0;
            for (int i = 0; i < whole.length; i++) cos += whole[i] * other[i];
            assertTrue(cos < 0.999, "different texts give different embeddings");
            assertThrows(EngineException.class, () -> MeanPooling.embed(m, m.newSequence(), new int[0]));
        }
        try (Model m = Model.open(Shared.require(MODEL), new ModelOptions(1, 0, KvCache.Type.F32, 3))) {
            int[] ids = Tokenizer.fromMetadata(m.file().metadata()).encode(text, true, false);
            chunked = MeanPooling.embed(m, m.newSequence(), ids);
        }
        double norm = 0;
        for (float v : whole) norm += v * v;
        assertEquals(1.0, norm, 1e-5);
        assertArrayEquals(whole, chunked, 1e-5f);
    }
}
