package dev.edgebox.engine.lora;

import static dev.edgebox.engine.lora.LoraFixtures.LLAMA;
import static dev.edgebox.engine.lora.LoraFixtures.QWEN2;
import static dev.edgebox.engine.lora.LoraFixtures.logits;
import static dev.edgebox.engine.lora.LoraFixtures.maxAbs;
import static dev.edgebox.engine.lora.LoraFixtures.maxDiff;
import static dev.edgebox.engine.lora.LoraLogitsTest.TIGHT;
import static dev.edgebox.engine.lora.LoraLogitsTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.lora.LoraFixtures.Pair;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.Parallel;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merged files load and give the unmerged logits; exports in either format read back the same adapter. */
class LoraMergeTest {
    @TempDir
    Path tmp;

    /** Merges with the production merger and returns the merged file. */
    static Path merge(Path base, Function<ModelConfig, AdapterStack> adapters, GgmlType type, Path out) throws IOException {
        try (GgufFile f = GgufFile.open(base); Parallel pool = new Parallel(2)) {
            ModelConfig c = ModelConfig.from(f);
            LoraMerge.write(f, c, adapters.apply(c), type, out, pool);
        }
        return out;
    }

    @Test
    void mergedF32GivesTheUnmergedLogits() throws IOException {
        Path base = LoraFixtures.base(tmp, LLAMA, "f32");
        List<Pair> a = LoraFixtures.randomPairs(LLAMA, 8, 31, LoraTarget.values());
        List<Pair> b = LoraFixtures.randomPairs(LLAMA, 4, 32, LoraTarget.Q, LoraTarget.K, LoraTarget.DOWN);
        Path da = tmp.resolve("a"), db = tmp.resolve("b.gguf");
        LoraFixtures.writePeft(da, a, LoraFixtures.peftConfig(8, 16, LoraFixtures.peftNames(a)), Safetensors.Dtype.F32);
        LoraFixtures.writeGguf(db, LLAMA.arch(), b, 4);
        Function<ModelConfig, AdapterStack> stack = c -> AdapterStack.of(LoraFiles.load(da, "a", c), 0.5f).with(LoraFiles.load(db, "b", c), 1f);
        Path merged = merge(base, stack, null, tmp.resolve("merged.gguf"));

        int[] ids = LoraFixtures.tokens(14, 33);
        float[] unmerged = logits(base, ids, stack);
        assertClose(unmerged, logits(merged, ids), TIGHT, "merged F32 file vs unmerged adapters");

        // Untouched tensors are copied byte for byte; adapted ones keep their type.
        try (GgufFile bf = GgufFile.open(base); GgufFile mf = GgufFile.open(merged)) {
            assertEquals(bf.metadata().asMap().keySet(), mf.metadata().asMap().keySet());
            for (TensorInfo t : bf.tensorList()) {
                TensorInfo m = mf.tensor(t.name());
                assertEquals(t.type(), m.type(), t.name());
                boolean adapted = t.name().startsWith("blk.") && t.name().endsWith(".weight") && !t.name().contains("norm");
                byte[] x = t.data().toArray(ValueLayout.JAVA_BYTE), y = m.data().toArray(ValueLayout.JAVA_BYTE);
                assertEquals(!adapted, java.util.Arrays.equals(x, y), t.name());
            }
        }
    }

    @Test
    void mergedQ8GivesTheUnmergedLogitsWithinQuantizationError() throws IOException {
        Path base = LoraFixtures.base(tmp, QWEN2, "f32");
        List<Pair> a = LoraFixtures.randomPairs(QWEN2, 8, 34, LoraTarget.values());
        Path da = tmp.resolve("a");
        LoraFixtures.writePeft(da, a, LoraFixtures.peftConfig(8, 16, LoraFixtures.peftNames(a)), Safetensors.Dtype.F32);
        Function<ModelConfig, AdapterStack> stack = c -> AdapterStack.of(LoraFiles.load(da, "a", c), 1f);
        Path merged = merge(base, stack, GgmlType.Q8_0, tmp.resolve("merged-q8.gguf"));

        int[] ids = LoraFixtures.tokens(14, 35);
        float[] unmerged = logits(base, ids, stack);
        float[] q8 = logits(merged, ids);
        // What q8_0 costs on its own: the base model quantized the same way vs F32.
        float[] baseF32 = logits(base, ids), baseQ8 = logits(LoraFixtures.base(tmp, QWEN2, "q8_0"), ids);
        double quantError = maxDiff(baseF32, baseQ8);
        double mergeError = maxDiff(unmerged, q8);
        assertTrue(mergeError > 0, "q8_0 must round something");
        assertTrue(mergeError < 3 * quantError + 1e-3 * maxAbs(unmerged),
                "merged q8_0 differs by " + mergeError + " where q8_0 itself costs " + quantError);
        try (GgufFile mf = GgufFile.open(merged)) {
            assertEquals(GgmlType.Q8_0, mf.tensor("blk.0.attn_q.weight").type());
            assertEquals(GgmlType.F32, mf.tensor("token_embd.weight").type());
        }
    }

    @Test
    void ggufExportReadsBackTheSameAdapter() throws IOException {
        for (var shape : List.of(QWEN2, LLAMA)) {
            Path base = LoraFixtures.base(tmp, shape, "f32");
            List<Pair> pairs = LoraFixtures.randomPairs(shape, 8, 36, LoraTarget.Q, LoraTarget.K, LoraTarget.UP);
            Path dir = tmp.resolve("p-" + shape.name());
            // rsLoRA and a per-module rank: the export has one alpha, so scales must be folded into B.
            pairs = new java.util.ArrayList<>(pairs);
            pairs.removeIf(p -> p.layer() == 0 && p.target() == LoraTarget.UP);
            pairs.addAll(LoraFixtures.randomPairs(shape, 4, 37, LoraTarget.UP).stream().filter(p -> p.layer() == 0).toList());
            String config = """
                    {"r": 8, "lora_alpha": 12, "use_rslora": true, "target_modules": ["q_proj", "k_proj", "up_proj"],
                     "rank_pattern": {"model.layers.0.mlp.up_proj": 4}}
                    """;
            LoraFixtures.writePeft(dir, pairs, config, Safetensors.Dtype.F32);
            Path gguf = tmp.resolve("export-" + shape.name() + ".gguf");
            Path peftAgain = tmp.resolve("export-" + shape.name());
            int[] ids = LoraFixtures.tokens(10, 38);
            float[] fromPeft = logits(base, ids, c -> {
                LoraAdapter a = LoraFiles.load(dir, "x", c);
                try {
                    LoraGgufWriter.write(a, gguf);
                    PeftWriter.write(a, c, peftAgain);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return AdapterStack.of(a, 1f);
            });
            float[] fromGguf = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(gguf, "y", c), 1f));
            assertClose(fromPeft, fromGguf, TIGHT, shape.name() + ": exported GGUF vs PEFT source");
            float[] fromPeftAgain = logits(base, ids, c -> AdapterStack.of(LoraFiles.load(peftAgain, "z", c), 1f));
            assertArrayEquals(fromPeft, fromPeftAgain, shape.name() + ": PEFT written back is the same adapter");
        }
    }
}
