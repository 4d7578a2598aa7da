package dev.edgebox.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.EngineException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties of the forward pass that need no reference: how tokens are batched, how many threads
 * run, and which sequences share a batch never change the logits.
 */
class DecoderConsistencyTest {
    @TempDir
    static Path tmp;
    static Path f32Model;
    static Path q8Model;
    static Path kMixModel;

    @BeforeAll
    static void writeModels() throws IOException {
        f32Model = tmp.resolve("tiny-f32.gguf");
        q8Model = tmp.resolve("tiny-q8_0.gguf");
        new SyntheticModel(SyntheticModel.preset("tiny"), QuantMix.parse("f32"), 3, null).write(f32Model, 2, p -> {});
        new SyntheticModel(SyntheticModel.preset("tiny"), QuantMix.parse("q8_0"), 3, null).write(q8Model, 2, p -> {});
        kMixModel = tmp.resolve("tiny-q4_k_m.gguf");
        new SyntheticModel(SyntheticModel.preset("tiny"), QuantMix.parse("q4_k_m"), 3, null).write(kMixModel, 2, p -> {});
    }

    static int[] tokens(int n, long seed, int vocab) {
        return new SplittableRandom(seed).ints(n, 0, vocab).toArray();
    }

    /** Logits of every position, feeding the tokens in batches of the given size. */
    static float[] logits(Path model, int[] ids, int batchSize, int threads, KvCache.Type kv) {
        try (Model m = Model.open(model, new ModelOptions(threads, 256, kv, batchSize))) {
            int vocab = m.config().vocabSize();
            float[] out = new float[ids.length * vocab];
            KvCache seq = m.newSequence();
            Batch b = new Batch(batchSize);
            for (int start = 0; start < ids.length; start += batchSize) {
                b.clear();
                int end = Math.min(ids.length, start + batchSize);
                for (int i = start; i < end; i++) b.add(ids[i], i, seq, true);
                System.arraycopy(m.forward(b), 0, out, start * vocab, (end - start) * vocab);
            }
            return out;
        }
    }

    @Test
    void batchSizeDoesNotChangeLogits() {
        for (Path model : new Path[] {f32Model, q8Model, kMixModel}) {
            int[] ids = tokens(40, 1, 512);
            float[] oneBatch = logits(model, ids, 64, 2, KvCache.Type.F32);
            assertArrayEquals(oneBatch, logits(model, ids, 1, 2, KvCache.Type.F32), model.getFileName() + ": token by token");
            assertArrayEquals(oneBatch, logits(model, ids, 7, 2, KvCache.Type.F32), model.getFileName() + ": chunks of 7");
        }
    }

    @Test
    void threadCountDoesNotChangeLogits() {
        int[] ids = tokens(20, 2, 512);
        assertArrayEquals(logits(q8Model, ids, 8, 1, KvCache.Type.F32), logits(q8Model, ids, 8, 3, KvCache.Type.F32));
    }

    @Test
    void f16CacheStaysCloseToF32() {
        int[] ids = tokens(30, 3, 512);
        float[] a = logits(f32Model, ids, 16, 2, KvCache.Type.F32);
        float[] b = logits(f32Model, ids, 16, 2, KvCache.Type.F16);
        double maxAbs = 0, maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(a[i]));
        }
        assertTrue(maxAbs > 0, "f16 storage should round something");
        assertTrue(maxAbs < 1e-2 * maxRef, "f16 KV moved logits by " + maxAbs + " of " + maxRef);
    }

    @Test
    void sequencesSharingABatchDoNotSeeEachOther() {
        int[] a = tokens(12, 4, 512), b = tokens(9, 5, 512);
        float[] aAlone = logits(q8Model, a, 16, 2, KvCache.Type.F32);
        float[] bAlone = logits(q8Model, b, 16, 2, KvCache.Type.F32);
        try (Model m = Model.open(q8Model, new ModelOptions(2, 256, KvCache.Type.F32, 32))) {
            int vocab = m.config().vocabSize();
            KvCache sa = m.newSequence(), sb = m.newSequence();
            // Prefill both prompts in one batch, interleaving their entries, then decode both in one batch.
            Batch batch = new Batch(32);
            for (int i = 0; i < 8; i++) {
                batch.add(a[i], i, sa, true);
                if (i < 5) batch.add(b[i], i, sb, true);
            }
            float[] l = m.forward(batch);
            int row = 0;
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(Arrays.copyOfRange(aAlone, i * vocab, (i + 1) * vocab), Arrays.copyOfRange(l, row * vocab, ++row * vocab));
                if (i < 5) assertArrayEquals(Arrays.copyOfRange(bAlone, i * vocab, (i + 1) * vocab), Arrays.copyOfRange(l, row * vocab, ++row * vocab));
            }
            for (int i = 8; i < 12; i++) {
                batch.clear().add(a[i], i, sa, true);
                int bi = i - 3;
                if (bi < b.length) batch.add(b[bi], bi, sb, true);
                l = m.forward(batch);
                assertArrayEquals(Arrays.copyOfRange(aAlone, i * vocab, (i + 1) * vocab), Arrays.copyOfRange(l, 0, vocab));
                if (bi < b.length) assertArrayEquals(Arrays.copyOfRange(bAlone, bi * vocab, (bi + 1) * vocab), Arrays.copyOfRange(l, vocab, 2 * vocab));
            }
            assertEquals(12, sa.length());
            assertEquals(9, sb.length());
        }
    }

    @Test
    void truncatedSequenceRecomputesTheSameLogits() {
        int[] ids = tokens(20, 6, 512);
        float[] ref = logits(q8Model, ids, 20, 2, KvCache.Type.F32);
        try (Model m = Model.open(q8Model, new ModelOptions(2, 256, KvCache.Type.F32, 32))) {
            int vocab = m.config().vocabSize();
            KvCache seq = m.newSequence();
            Batch b = new Batch(32);
            for (int i = 0; i < 20; i++) b.add(i < 15 ? ids[i] : 7, i, seq, false);
            m.forward(b);
            assertEquals(15, seq.commonPrefix(ids));
            seq.truncate(15);
            b.clear();
            for (int i = 15; i < 20; i++) b.add(ids[i], i, seq, true);
            float[] l = m.forward(b);
            assertArrayEquals(Arrays.copyOfRange(ref, 15 * vocab, 20 * vocab), Arrays.copyOf(l, 5 * vocab));
        }
    }

    @Test
    void aFullContextIsAClearError() {
        try (Model m = Model.open(q8Model, new ModelOptions(1, 8, KvCache.Type.F16, 16))) {
            KvCache seq = m.newSequence();
            Batch b = new Batch(16);
            for (int i = 0; i < 9; i++) b.add(1, i, seq, false);
            EngineException e = assertThrows(EngineException.class, () -> m.forward(b));
            assertTrue(e.getMessage().contains("context"), e.getMessage());
        }
    }
}
