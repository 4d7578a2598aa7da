package dev.edgebox.engine.lora;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.GgufWriter;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.model.QuantMix;
import dev.edgebox.engine.model.SyntheticModel;
import dev.edgebox.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Tiny base models and adapters with known A and B, written by test code of its own (not by the
 * production writers), and a reference merge in double precision. Adapters are described in Hugging
 * Face row order; {@link #hfToGguf} is the test's own statement of llama.cpp's q/k permutation.
 */
final class LoraFixtures {
    private LoraFixtures() {}

    static final SyntheticModel.Shape QWEN2 =
            new SyntheticModel.Shape("lora-qwen2", Architecture.QWEN2, 384, 128, 2, 4, 2, 32, 320, 512, 1e6f, 1e-6f, true, true);
    static final SyntheticModel.Shape LLAMA =
            new SyntheticModel.Shape("lora-llama", Architecture.LLAMA, 384, 128, 2, 4, 2, 32, 320, 512, 1e4f, 1e-5f, false, false);
    /** Same widths as QWEN2 but three layers: an adapter for it does not fit QWEN2. */
    static final SyntheticModel.Shape QWEN2_DEEP =
            new SyntheticModel.Shape("lora-qwen2-deep", Architecture.QWEN2, 384, 128, 3, 4, 2, 32, 320, 512, 1e6f, 1e-6f, true, true);
    /** Narrower: an adapter for it has the wrong shapes for QWEN2. */
    static final SyntheticModel.Shape QWEN2_NARROW =
            new SyntheticModel.Shape("lora-qwen2-narrow", Architecture.QWEN2, 384, 96, 2, 3, 1, 32, 256, 512, 1e6f, 1e-6f, true, true);

    static Path base(Path dir, SyntheticModel.Shape s, String type) throws IOException {
        Path p = dir.resolve(s.name() + "-" + type + ".gguf");
        if (!Files.exists(p)) new SyntheticModel(s, QuantMix.parse(type), 11, null).write(p, 1, x -> {});
        return p;
    }

    /** One projection's A [rank x in] and B [out x rank] in Hugging Face row order. */
    record Pair(int layer, LoraTarget target, int rank, int in, int out, float[] a, float[] b) {
        String module() {
            return target.peftModule(layer);
        }
    }

    /** Random pairs for the given targets in every layer; B is non-zero (a trained adapter). */
    static List<Pair> randomPairs(SyntheticModel.Shape s, int rank, long seed, LoraTarget... targets) {
        ModelConfig c = config(s);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int l = 0; l < s.layers(); l++) {
            for (LoraTarget t : targets) {
                int in = t.in(c), out = t.out(c);
                float[] a = new float[rank * in], b = new float[out * rank];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() / Math.sqrt(in));
                for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextGaussian() * 0.3 / Math.sqrt(rank));
                pairs.add(new Pair(l, t, rank, in, out, a, b));
            }
        }
        return pairs;
    }

    /** The shape's configuration as the decoder computes it. */
    static ModelConfig config(SyntheticModel.Shape s) {
        return new ModelConfig(s.arch(), s.vocab(), s.dim(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.ffn(), s.context(),
                s.eps(), s.ropeBase(), s.headDim(), 1f, s.tied());
    }

    // ---- PEFT ----

    static void writePeft(Path dir, List<Pair> pairs, String configJson, Safetensors.Dtype dtype) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter st = new SafetensorsWriter();
        for (Pair p : pairs) {
            String prefix = "base_model.model." + p.module();
            st.add(prefix + ".lora_A.weight", dtype, new long[] {p.rank, p.in}, p.a);
            st.add(prefix + ".lora_B.weight", dtype, new long[] {p.out, p.rank}, p.b);
        }
        st.write(dir.resolve("adapter_model.safetensors"));
        Files.writeString(dir.resolve("adapter_config.json"), configJson, StandardCharsets.UTF_8);
    }

    static String peftConfig(int r, double alpha, String... targets) {
        StringBuilder t = new StringBuilder();
        for (String s : targets) t.append(t.isEmpty() ? "" : ", ").append('"').append(s).append('"');
        return """
                {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": %d, "lora_alpha": %s, "lora_dropout": 0.05,
                 "target_modules": [%s], "bias": "none", "fan_in_fan_out": false, "use_rslora": false, "use_dora": false,
                 "base_model_name_or_path": "test/tiny", "rank_pattern": {}, "alpha_pattern": {}, "modules_to_save": null}
                """.formatted(r, alpha, t);
    }

    static String[] peftNames(List<Pair> pairs) {
        return pairs.stream().map(p -> p.target.peftName).distinct().toArray(String[]::new);
    }

    // ---- GGUF ----

    /** A llama.cpp LoRA GGUF of the pairs, rows moved to GGUF order when the base is llama. */
    static void writeGguf(Path file, Architecture arch, List<Pair> pairs, float alpha) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", arch.ggufName);
        w.putString("general.type", "adapter");
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", alpha);
        for (Pair p : pairs) {
            float[] b = ggufOrderB(p, arch);
            String name = "blk." + p.layer + "." + p.target.ggufName + ".weight";
            w.addTensor(name + ".lora_a", GgmlType.F32, new long[] {p.in, p.rank}, bytes(p.a));
            w.addTensor(name + ".lora_b", GgmlType.F32, new long[] {p.rank, p.out}, bytes(b));
        }
        w.write(file);
    }

    /** B with its rows in the base GGUF's order. */
    static float[] ggufOrderB(Pair p, Architecture arch) {
        if (arch != Architecture.LLAMA || (p.target != LoraTarget.Q && p.target != LoraTarget.K)) return p.b;
        int heads = p.out / LLAMA.headDim();
        float[] out = new float[p.b.length];
        int[] from = hfToGguf(heads, LLAMA.headDim());
        for (int row = 0; row < p.out; row++) System.arraycopy(p.b, from[row] * p.rank, out, row * p.rank, p.rank);
        return out;
    }

    /**
     * convert_hf_to_gguf's permute: weights.reshape(n_head, 2, hd/2, ...).swapaxes(1, 2).reshape(...),
     * i.e. GGUF row (h, i, half) = HF row (h, half, i). Returns, per GGUF row, its HF row.
     */
    static int[] hfToGguf(int heads, int headDim) {
        int[] from = new int[heads * headDim];
        int half = headDim / 2;
        int row = 0;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int which = 0; which < 2; which++) from[row++] = h * headDim + which * half + i;
            }
        }
        return from;
    }

    static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    // ---- reference merge ----

    /** A scaled pair to merge: scale is the full factor (alpha / r times the user's scale). */
    record Scaled(Pair pair, double scale) {}

    /** Writes base (F32) with W + scale * B A in double precision, B rows in GGUF order for the base's architecture. */
    static Path referenceMerge(Path base, Path out, List<Scaled> deltas, boolean permuteQk) throws IOException {
        try (GgufFile f = GgufFile.open(base)) {
            GgufWriter w = new GgufWriter().putAll(f.metadata());
            for (TensorInfo t : f.tensorList()) {
                if (t.type() != GgmlType.F32) throw new IllegalArgumentException("reference merge needs an F32 base");
                float[] values = new float[Math.toIntExact(t.elementCount())];
                t.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                for (Scaled d : deltas) {
                    Pair p = d.pair;
                    if (!t.name().equals("blk." + p.layer + "." + p.target.ggufName + ".weight")) continue;
                    float[] b = permuteQk ? ggufOrderB(p, Architecture.LLAMA) : p.b;
                    for (int o = 0; o < p.out; o++) {
                        for (int i = 0; i < p.in; i++) {
                            double sum = 0;
                            for (int j = 0; j < p.rank; j++) sum += (double) b[o * p.rank + j] * p.a[j * p.in + i];
                            values[o * p.in + i] = (float) (values[o * p.in + i] + d.scale * sum);
                        }
                    }
                }
                w.addTensor(t.name(), t.type(), t.dims(), bytes(values));
            }
            w.write(out);
        }
        return out;
    }

    static List<Scaled> scaled(List<Pair> pairs, double scale) {
        return pairs.stream().map(p -> new Scaled(p, scale)).toList();
    }

    // ---- running ----

    static Model open(Path model) {
        return open(model, 8);
    }

    static Model open(Path model, int batch) {
        return Model.open(model, new ModelOptions(2, 64, KvCache.Type.F32, batch));
    }

    /** Logits of every position, in chunks of the batch size, with the adapters made for the model. */
    static float[] logits(Path model, int[] ids, Function<ModelConfig, AdapterStack> adapters) {
        try (Model m = open(model)) {
            AdapterStack stack = adapters.apply(m.config());
            int vocab = m.config().vocabSize();
            float[] out = new float[ids.length * vocab];
            KvCache seq = m.newSequence();
            Batch b = new Batch(m.batchSize());
            for (int start = 0; start < ids.length; start += m.batchSize()) {
                b.clear();
                int end = Math.min(ids.length, start + m.batchSize());
                for (int i = start; i < end; i++) b.add(ids[i], i, seq, true, stack);
                System.arraycopy(m.forward(b), 0, out, start * vocab, (end - start) * vocab);
            }
            return out;
        }
    }

    static float[] logits(Path model, int[] ids) {
        return logits(model, ids, c -> AdapterStack.NONE);
    }

    static int[] tokens(int n, long seed) {
        return new SplittableRandom(seed).ints(n, 0, 380).toArray();
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
