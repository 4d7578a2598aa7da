package dev.edgebox.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.testing.ReferenceCase;
import dev.edgebox.engine.testing.Shared;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract with llama.cpp: for every model of ../shared/reference/models, our logits of the
 * prompt and our greedy continuation against llama.cpp's, with the tolerances of the reference
 * README (section 4.3, float32-activation row; we round activations as ggml does, so we expect to
 * land far inside them and print how far).
 */
class ReferenceLogitsTest {

    record Tolerance(double maxOverStd, double rmsOverStd, double top1Margin, double greedyMargin) {}

    static Tolerance tolerance(ReferenceCase.Kind kind) {
        return switch (kind) {
            case F32 -> new Tolerance(1e-4, 1e-5, 1e-3, 0);
            case F16 -> new Tolerance(2e-2, 3e-3, 0.1, 0.1);
            case BF16 -> new Tolerance(0.1, 2e-2, 0.3, 0.3);
            case QUANTIZED -> new Tolerance(0.4, 0.06, 1.0, 1.0);
        };
    }

    static List<ReferenceCase> cases() {
        List<ReferenceCase> all = ReferenceCase.all();
        // Without the pack, one placeholder case that skips with Shared's message.
        return all.isEmpty() ? List.of(new ReferenceCase("(reference pack absent)", null, null)) : all;
    }

    static ModelOptions referenceOptions() {
        // As the reference run: F32 KV cache, the whole prompt in one batch, one thread's results (ours do not depend on threads).
        return new ModelOptions(2, 128, KvCache.Type.F32, 128);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void promptLogitsMatchLlamaCpp(ReferenceCase ref) {
        Shared.require("reference/models");
        Tolerance tol = tolerance(ref.kind());
        int[] ids = ref.promptIds();
        int vocab = ref.vocab();
        float[] expected = ref.logits();
        float[] actual;
        try (Model model = Model.open(ref.model(), referenceOptions())) {
            KvCache seq = model.newSequence();
            Batch batch = new Batch(ids.length);
            for (int i = 0; i < ids.length; i++) batch.add(ids[i], i, seq, true);
            actual = Arrays.copyOf(model.forward(batch), ids.length * vocab);
        }
        double std = std(expected);
        double maxAbs = 0, sumSq = 0;
        int closeRows = 0;
        for (int p = 0; p < ids.length; p++) {
            double rowMax = 0;
            for (int j = 0; j < vocab; j++) {
                double d = Math.abs(actual[p * vocab + j] - expected[p * vocab + j]);
                rowMax = Math.max(rowMax, d);
                sumSq += d * d;
            }
            maxAbs = Math.max(maxAbs, rowMax);
            if (rowMax <= 1e-4 * std) closeRows++;
        }
        double rms = Math.sqrt(sumSq / expected.length);

        int[] top1 = ref.promptTop1();
        double[] margins = ref.promptMargins();
        int agree = 0;
        for (int p = 0; p < ids.length; p++) {
            int ours = argmax(actual, p * vocab, vocab);
            if (ours == top1[p]) agree++;
            else if (margins[p] > tol.top1Margin()) {
                throw new AssertionError(ref + ": top-1 at position " + p + " is " + ours + ", llama.cpp " + top1[p] + " with margin " + margins[p]);
            }
        }
        System.out.printf("%-22s max|d|/std %.2e  rms|d|/std %.2e  positions within 1e-4 std %d/%d  top-1 %d/%d%n",
                ref, maxAbs / std, rms / std, closeRows, ids.length, agree, ids.length);
        assertTrue(maxAbs <= tol.maxOverStd() * std, ref + ": max |d| = " + maxAbs / std + " std > " + tol.maxOverStd());
        assertTrue(rms <= tol.rmsOverStd() * std, ref + ": rms |d| = " + rms / std + " std > " + tol.rmsOverStd());
        if (ref.kind() == ReferenceCase.Kind.QUANTIZED) assertTrue(agree >= 0.9 * ids.length, ref + ": top-1 agrees at only " + agree);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void greedyIdsMatchLlamaCpp(ReferenceCase ref) {
        Shared.require("reference/models");
        Tolerance tol = tolerance(ref.kind());
        int[] expected = ref.greedyIds();
        int[] ours = greedy(ref, expected.length);
        int robust = leadingSteps(ref.greedyMargins(), tol.greedyMargin());
        int common = commonPrefix(ours, expected);
        System.out.printf("%-22s greedy: %d/%d ids equal to llama.cpp (robust prefix %d)%n", ref, common, expected.length, robust);
        if (common >= robust) return;
        // The README's alternative for quantized files: the float64 reference up to its first margin < 0.01.
        if (ref.kind() == ReferenceCase.Kind.QUANTIZED) {
            int[] f64 = ref.float64GreedyIds();
            int f64Robust = leadingSteps(ref.float64GreedyMargins(), 0.01);
            if (commonPrefix(ours, f64) >= f64Robust) return;
        }
        assertArrayEquals(Arrays.copyOf(expected, robust), Arrays.copyOf(ours, robust),
                ref + ": greedy ids differ within the first " + robust + " robust steps");
    }

    static int[] greedy(ReferenceCase ref, int steps) {
        int[] ids = ref.promptIds();
        int vocab = ref.vocab();
        int[] out = new int[steps];
        try (Model model = Model.open(ref.model(), referenceOptions())) {
            KvCache seq = model.newSequence();
            Batch batch = new Batch(Math.max(ids.length, 1));
            for (int i = 0; i < ids.length; i++) batch.add(ids[i], i, seq, i == ids.length - 1);
            float[] logits = model.forward(batch);
            for (int s = 0; s < steps; s++) {
                out[s] = argmax(logits, 0, vocab);
                batch.clear().add(out[s], ids.length + s, seq, true);
                logits = model.forward(batch);
            }
        }
        return out;
    }

    static int leadingSteps(double[] margins, double min) {
        int n = 0;
        while (n < margins.length && margins[n] >= min) n++;
        return n;
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < Math.min(a.length, b.length) && a[n] == b[n]) n++;
        return n;
    }

    static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[off + i] > x[off + best]) best = i;
        return best;
    }

    static double std(float[] x) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double var = 0;
        for (float v : x) var += (v - mean) * (v - mean);
        return Math.sqrt(var / x.length);
    }
}
