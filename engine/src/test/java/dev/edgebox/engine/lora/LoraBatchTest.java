package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests with different adapters share one forward pass and each gets exactly what it gets alone:
 * the same logits bit for bit at every step, hence the same greedy tokens.
 */
class LoraBatchTest {
    @TempDir
    Path tmp;

    static final int STEPS = 12;

    /** One request: prompt, adapters, and what it produced (logits of each step, greedy tokens). */
    static final class Run {
        final int[] prompt;
        final AdapterStack stack;
        final List<float[]> logits = new ArrayList<>();
        final int[] tokens = new int[STEPS];
        KvCache seq;

        Run(int[] prompt, AdapterStack stack) {
            this.prompt = prompt;
            this.stack = stack;
        }
    }

    @Test
    void mixedBatchEqualsEachRequestAlone() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "q8_0");
        Path a = tmp.resolve("a"), b = tmp.resolve("b.gguf"), c = tmp.resolve("c");
        var pa = LoraFixtures.randomPairs(QWEN2, 8, 21, LoraTarget.values());
        LoraFixtures.writePeft(a, pa, LoraFixtures.peftConfig(8, 16, LoraFixtures.peftNames(pa)), Safetensors.Dtype.BF16);
        LoraFixtures.writeGguf(b, QWEN2.arch(), LoraFixtures.randomPairs(QWEN2, 4, 22, LoraTarget.Q, LoraTarget.V, LoraTarget.DOWN), 8);
        var pc = LoraFixtures.randomPairs(QWEN2, 16, 23, LoraTarget.K, LoraTarget.O, LoraTarget.GATE, LoraTarget.UP);
        LoraFixtures.writePeft(c, pc, LoraFixtures.peftConfig(16, 16, LoraFixtures.peftNames(pc)), Safetensors.Dtype.F32);

        try (Model m = LoraFixtures.open(base, 64)) {
            LoraAdapter la = LoraFiles.load(a, "a", m.config()), lb = LoraFiles.load(b, "b", m.config()), lc = LoraFiles.load(c, "c", m.config());
            List<AdapterStack> stacks = List.of(
                    AdapterStack.NONE,
                    AdapterStack.of(la, 1f),
                    AdapterStack.of(lb, 1f),
                    AdapterStack.of(lc, 0.8f),
                    AdapterStack.of(la, 0.5f).with(lb, 1f),   // stacked
                    AdapterStack.of(lb, 1f),                  // a second request on b: one group of two
                    AdapterStack.of(lb, 2f));                 // same adapter, its own scale
            List<Run> alone = new ArrayList<>(), mixed = new ArrayList<>();
            for (int i = 0; i < stacks.size(); i++) {
                int[] prompt = LoraFixtures.tokens(3 + i, 100 + i);
                alone.add(new Run(prompt, stacks.get(i)));
                mixed.add(new Run(prompt, stacks.get(i)));
            }
            for (Run r : alone) run(m, List.of(r));
            run(m, mixed);

            for (int i = 0; i < stacks.size(); i++) {
                Run x = alone.get(i), y = mixed.get(i);
                for (int s = 0; s < STEPS; s++) assertArrayEquals(x.logits.get(s), y.logits.get(s), "request " + i + " (" + x.stack + ") step " + s);
                assertArrayEquals(x.tokens, y.tokens, "request " + i + " tokens");
            }
            // The adapters matter: the first step's logits differ from the base request's.
            for (int i = 1; i < stacks.size(); i++) {
                assertNotEquals(Arrays.toString(alone.get(0).logits.getFirst()), Arrays.toString(alone.get(i).logits.getFirst()), "request " + i);
            }
        }
    }

    @Test
    void threadCountDoesNotChangeAdaptedLogits() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "q8_0");
        Path a = tmp.resolve("t.gguf");
        // rank 6: the fused four-column pass and the single-column remainder both run
        LoraFixtures.writeGguf(a, QWEN2.arch(), LoraFixtures.randomPairs(QWEN2, 6, 24, LoraTarget.values()), 6);
        int[] ids = LoraFixtures.tokens(11, 25);
        float[] previous = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (Model m = Model.open(base, new dev.edgebox.engine.model.ModelOptions(threads, 64, KvCache.Type.F32, 16))) {
                AdapterStack s = AdapterStack.of(LoraFiles.load(a, "t", m.config()), 1f);
                KvCache seq = m.newSequence();
                Batch b = new Batch(16);
                for (int i = 0; i < ids.length; i++) b.add(ids[i], i, seq, true, s);
                float[] logits = Arrays.copyOf(m.forward(b), ids.length * m.config().vocabSize());
                if (previous != null) assertArrayEquals(previous, logits, threads + " threads");
                previous = logits;
            }
        }
    }

    @Test
    void fusedColumnsEqualSingleColumns() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int n = 37, stride = 41; // not a multiple of any vector width: tails run too
        float[] x = new float[4 * stride], y = new float[n], z;
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = (float) r.nextGaussian();
        z = y.clone();
        float[] c = {0.3f, -1.7f, 2.5f, 1e-3f};
        LoraDeltas.axpy4(c[0], c[1], c[2], c[3], x, 2, stride, y, 0, n - 2);
        for (int k = 0; k < 4; k++) LoraDeltas.axpy(c[k], x, 2 + k * stride, z, 0, n - 2);
        assertArrayEquals(z, y);
    }

    /** Prefills every run's prompt in one batch, then decodes them together greedily. */
    static void run(Model m, List<Run> runs) {
        int vocab = m.config().vocabSize();
        Batch batch = new Batch(m.batchSize());
        for (Run r : runs) {
            r.seq = m.newSequence();
            for (int p = 0; p < r.prompt.length; p++) batch.add(r.prompt[p], p, r.seq, p == r.prompt.length - 1, r.stack);
        }
        float[] logits = m.forward(batch);
        for (int step = 0; step < STEPS; step++) {
            for (int k = 0; k < runs.size(); k++) {
                Run r = runs.get(k);
                float[] row = Arrays.copyOfRange(logits, k * vocab, (k + 1) * vocab);
                r.logits.add(row);
                r.tokens[step] = argmax(row);
            }
            batch.clear();
            for (Run r : runs) batch.add(r.tokens[step], r.prompt.length + step, r.seq, true, r.stack);
            logits = m.forward(batch);
        }
        assertEquals(runs.size(), batch.logitCount());
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
