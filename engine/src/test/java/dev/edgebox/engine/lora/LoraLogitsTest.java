package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraFixtures.LLAMA;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static dev.edgebox.engine.lora.LoraFixtures.logits;
import static dev.edgebox.engine.lora.LoraFixtures.maxAbs;
import static dev.edgebox.engine.lora.LoraFixtures.maxDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.lora.LoraFixtures.Pair;
import dev.edgebox.engine.lora.LoraFixtures.Scaled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmerged adapters give the logits of the merged model: PEFT and GGUF forms, qwen2 (no row
 * permutation) and llama (q/k rows permuted), scale rules (alpha/r, rsLoRA, patterns, user scale).
 */
class LoraLogitsTest {
    /** Unmerged vs merged F32 differ only by float rounding: about 1e-6 of the logit range. */
    static final double TIGHT = 1e-5;

    @TempDir
    Path tmp;

    static final LoraTarget[] ALL = LoraTarget.values();

    static void assertClose(float[] expected, float[] actual, double relative, String what) {
        double diff = maxDiff(expected, actual), range = maxAbs(expected);
        assertTrue(diff <= relative * range, what + ": max difference " + diff + " exceeds " + relative + " of the logit range " + range);
    }

    /** The adapter must actually change the logits, or the comparisons prove nothing. */
    static void assertChanged(float[] base, float[] adapted) {
        double diff = maxDiff(base, adapted);
        assertTrue(diff > 0.05 * maxAbs(base), "the adapter barely changes the logits (" + diff + ")");
    }

    @Test
    void peftOnQwen2EqualsMergedModel() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "f32");
        List<Pair> pairs = LoraFixtures.randomPairs(QWEN2, 8, 1, ALL);
        Path dir = tmp.resolve("peft");
        LoraFixtures.writePeft(dir, pairs, LoraFixtures.peftConfig(8, 16, LoraFixtures.peftNames(pairs)), Safetensors.Dtype.F32);
        float userScale = 0.75f;
        Path merged = LoraFixtures.referenceMerge(base, tmp.resolve("merged.gguf"), LoraFixtures.scaled(pairs, 16.0 / 8 * userScale), false);

        int[] ids = LoraFixtures.tokens(20, 5);
        float[] unmerged = logits(base, ids, c -> AdapterStack.of(PeftAdapterReader.read(dir, "a", c), userScale));
        float[] expected = logits(merged, ids);
        assertChanged(logits(base, ids), expected);
        assertClose(expected, unmerged, TIGHT, "unmerged PEFT adapter vs merged model");
    }

    @Test
    void ggufFormGivesTheSameLogitsAsPeftForm() throws IOException {
        for (var shape : List.of(QWEN2, LLAMA)) {
            Path base = LoraFixtures.base(tmp, shape, "f32");
            List<Pair> pairs = LoraFixtures.randomPairs(shape, 4, 2, ALL);
            Path dir = tmp.resolve("peft-" + shape.name());
            LoraFixtures.writePeft(dir, pairs, LoraFixtures.peftConfig(4, 8, LoraFixtures.peftNames(pairs)), Safetensors.Dtype.F32);
            Path gguf = tmp.resolve(shape.name() + "-lora.gguf");
            LoraFixtures.writeGguf(gguf, shape.arch(), pairs, 8);

            int[] ids = LoraFixtures.tokens(12, 6);
            float[] peft = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(dir, "p", c), 1f));
            float[] fromGguf = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(gguf, "g", c), 1f));
            assertChanged(logits(base, ids), peft);
            assertArrayEquals(peft, fromGguf, shape.name() + ": PEFT and GGUF forms of one adapter");
        }
    }

    @Test
    void peftOnLlamaPermutesQueryAndKeyRows() throws IOException {
        Path base = LoraFixtures.base(tmp, LLAMA, "f32");
        List<Pair> pairs = LoraFixtures.randomPairs(LLAMA, 8, 3, LoraTarget.Q, LoraTarget.K, LoraTarget.V);
        Path dir = tmp.resolve("peft-llama");
        LoraFixtures.writePeft(dir, pairs, LoraFixtures.peftConfig(8, 8, "q_proj", "k_proj", "v_proj"), Safetensors.Dtype.F32);
        Path merged = LoraFixtures.referenceMerge(base, tmp.resolve("merged-llama.gguf"), LoraFixtures.scaled(pairs, 1.0), true);
        Path unpermuted = LoraFixtures.referenceMerge(base, tmp.resolve("wrong-llama.gguf"), LoraFixtures.scaled(pairs, 1.0), false);

        int[] ids = LoraFixtures.tokens(16, 7);
        float[] unmerged = logits(base, ids, c -> AdapterStack.of(PeftAdapterReader.read(dir, "a", c), 1f));
        float[] expected = logits(merged, ids);
        assertClose(expected, unmerged, TIGHT, "PEFT adapter on a llama base vs merged with permuted q/k rows");
        // Without the permutation the result would be a different model: the test can tell.
        assertTrue(maxDiff(logits(unpermuted, ids), unmerged) > 100 * TIGHT * maxAbs(expected), "the permutation made no difference");
    }

    @Test
    void rsLoraRankAndAlphaPatternsAndHalfPrecision() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "f32");
        List<Pair> pairs = new ArrayList<>(LoraFixtures.randomPairs(QWEN2, 8, 4, LoraTarget.Q, LoraTarget.V, LoraTarget.DOWN));
        // layer 1's down_proj has rank 4 (rank_pattern) and every v_proj alpha 4 (alpha_pattern).
        pairs.removeIf(p -> p.layer() == 1 && p.target() == LoraTarget.DOWN);
        pairs.addAll(LoraFixtures.randomPairs(QWEN2, 4, 5, LoraTarget.DOWN).stream().filter(p -> p.layer() == 1).toList());
        String config = """
                {"peft_type": "LORA", "r": 8, "lora_alpha": 16, "use_rslora": true, "target_modules": ["q_proj", "v_proj", "down_proj"],
                 "rank_pattern": {"layers.1.mlp.down_proj": 4}, "alpha_pattern": {"v_proj": 4}}
                """;
        // Stored as F16: the reference uses the same rounded values.
        List<Pair> rounded = pairs.stream().map(p -> new Pair(p.layer(), p.target(), p.rank(), p.in(), p.out(), f16(p.a()), f16(p.b()))).toList();
        Path dir = tmp.resolve("peft-rs");
        LoraFixtures.writePeft(dir, pairs, config, Safetensors.Dtype.F16);
        List<Scaled> deltas = rounded.stream().map(p -> new Scaled(p,
                (p.target() == LoraTarget.V ? 4.0 : 16.0) / Math.sqrt(p.rank()))).toList();
        Path merged = LoraFixtures.referenceMerge(base, tmp.resolve("merged-rs.gguf"), deltas, false);

        int[] ids = LoraFixtures.tokens(16, 8);
        float[] unmerged = logits(base, ids, c -> AdapterStack.of(PeftAdapterReader.read(dir, "rs", c), 1f));
        assertClose(logits(merged, ids), unmerged, TIGHT, "rsLoRA with rank and alpha patterns");
    }

    @Test
    void stackedAdaptersAddUp() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "f32");
        List<Pair> a = LoraFixtures.randomPairs(QWEN2, 4, 9, LoraTarget.Q, LoraTarget.O, LoraTarget.UP);
        List<Pair> b = LoraFixtures.randomPairs(QWEN2, 8, 10, LoraTarget.K, LoraTarget.O, LoraTarget.GATE, LoraTarget.DOWN);
        Path da = tmp.resolve("a"), db = tmp.resolve("b.gguf");
        LoraFixtures.writePeft(da, a, LoraFixtures.peftConfig(4, 4, LoraFixtures.peftNames(a)), Safetensors.Dtype.F32);
        LoraFixtures.writeGguf(db, QWEN2.arch(), b, 16);
        List<Scaled> deltas = new ArrayList<>(LoraFixtures.scaled(a, 1.0 * 0.5));
        deltas.addAll(LoraFixtures.scaled(b, 2.0 * -1.5));
        Path merged = LoraFixtures.referenceMerge(base, tmp.resolve("merged-ab.gguf"), deltas, false);

        int[] ids = LoraFixtures.tokens(10, 11);
        float[] unmerged = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(da, "a", c), 0.5f).with(LoraFiles.load(db, "b", c), -1.5f));
        assertClose(logits(merged, ids), unmerged, TIGHT, "two stacked adapters");
    }

    @Test
    void scaleZeroAndNoAdapterLeaveTheBaseModel() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "q8_0");
        List<Pair> pairs = LoraFixtures.randomPairs(QWEN2, 4, 12, ALL);
        Path gguf = tmp.resolve("zero.gguf");
        LoraFixtures.writeGguf(gguf, QWEN2.arch(), pairs, 4);
        int[] ids = LoraFixtures.tokens(9, 13);
        float[] plain = logits(base, ids);
        float[] none = logits(base, ids, c -> AdapterStack.NONE);
        float[] zero = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(gguf, "z", c), 0f));
        assertArrayEquals(plain, none);
        for (int i = 0; i < plain.length; i++) assertEquals(plain[i], zero[i], 0.0, "scale 0 at " + i);
    }

    static float[] f16(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
        return r;
    }
}
