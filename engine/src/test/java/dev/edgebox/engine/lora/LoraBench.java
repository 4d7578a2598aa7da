package dev.edgebox.engine.lora;

import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.model.QuantMix;
import dev.edgebox.engine.model.SyntheticModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A hand-run benchmark, not a test: decode speed with no adapter, one rank-R adapter on all seven
 * projections, and 4 sequences on 4 different adapters in one batch (vs 4 sequences on the base).
 * One compute thread, timed by its CPU time, best of many trials, so the shared machine's load does
 * not count. Run from engine/ after {@code mvn test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *      dev.edgebox.engine.lora.LoraBench /tmp/qwen2.5-0.5b-q4_k_m.gguf [rank]
 * </pre>
 * The model is written (synthetic Qwen2.5-0.5B, Q4_K_M) if the file does not exist.
 */
public final class LoraBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int STEPS = 16, TRIALS = 12;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/qwen2.5-0.5b-q4_k_m.gguf");
        int rank = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        if (!Files.exists(file)) {
            System.out.println("writing " + file);
            new SyntheticModel(SyntheticModel.preset("qwen2.5-0.5b"), QuantMix.parse("q4_k_m"), 1, null).write(file, 2, p -> {});
        }
        try (Model m = Model.open(file, new ModelOptions(1, 256, KvCache.Type.F16, 8))) {
            List<LoraAdapter> adapters = new ArrayList<>();
            for (int i = 0; i < 4; i++) adapters.add(randomAdapter(m.config(), rank, i));
            System.out.printf(Locale.ROOT, "%s, rank %d adapter on q,k,v,o,gate,up,down: %.1f MB each (F32); 1 thread, CPU time%n",
                    file.getFileName(), rank, adapters.getFirst().bytes() / 1e6);
            List<AdapterStack> none1 = List.of(AdapterStack.NONE);
            List<AdapterStack> one1 = List.of(AdapterStack.of(adapters.getFirst(), 1f));
            List<AdapterStack> none4 = List.of(AdapterStack.NONE, AdapterStack.NONE, AdapterStack.NONE, AdapterStack.NONE);
            List<AdapterStack> four4 = adapters.stream().map(a -> AdapterStack.of(a, 1f)).toList();
            String[] names = {"1 sequence, no adapter", "1 sequence, 1 adapter", "4 sequences, no adapter", "4 sequences, 4 adapters"};
            List<List<AdapterStack>> cases = List.of(none1, one1, none4, four4);
            double[] best = new double[cases.size()];
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            for (int trial = -2; trial < TRIALS; trial++) { // two warm-up rounds
                for (int c = 0; c < cases.size(); c++) {
                    double s = decodeSeconds(m, cases.get(c));
                    if (trial >= 0) best[c] = Math.min(best[c], s);
                }
            }
            for (int c = 0; c < cases.size(); c++) {
                double tps = cases.get(c).size() * STEPS / best[c];
                String overhead = c % 2 == 1 ? String.format(Locale.ROOT, "  overhead %+.1f%%", 100 * (best[c] / best[c - 1] - 1)) : "";
                System.out.printf(Locale.ROOT, "%-26s %7.2f tokens/s%s%n", names[c], tps, overhead);
            }
        }
    }

    /** CPU seconds of STEPS decode steps for one batch of sequences, each with its adapters, after an 8-token prompt. */
    static double decodeSeconds(Model m, List<AdapterStack> stacks) {
        SplittableRandom rnd = new SplittableRandom(7);
        int vocab = m.config().vocabSize();
        Batch b = new Batch(m.batchSize());
        List<KvCache> seqs = new ArrayList<>();
        for (AdapterStack s : stacks) {
            KvCache seq = m.newSequence();
            seqs.add(seq);
            b.clear();
            for (int p = 0; p < 8; p++) b.add(rnd.nextInt(vocab), p, seq, p == 7, s);
            m.forward(b);
        }
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int step = 0; step < STEPS; step++) {
            b.clear();
            for (int i = 0; i < stacks.size(); i++) b.add(rnd.nextInt(vocab), 8 + step, seqs.get(i), true, stacks.get(i));
            m.forward(b);
        }
        return (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
    }

    static LoraAdapter randomAdapter(ModelConfig c, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        LoraAdapter.Builder b = LoraAdapter.builder("bench-" + seed, LoraAdapter.Format.MEMORY, null, c);
        for (int l = 0; l < c.layers(); l++) {
            for (LoraTarget t : LoraTarget.values()) {
                int in = t.in(c), out = t.out(c);
                float[] a = new float[rank * in], bm = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
                for (int i = 0; i < bm.length; i++) bm[i] = (float) (rnd.nextGaussian() * 0.01);
                b.put(l, t, LoraPair.fromAB(a, bm, rank, in, out, 2f), t + "@" + l);
            }
        }
        return b.build();
    }
}
