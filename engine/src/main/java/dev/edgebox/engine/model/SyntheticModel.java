package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.gguf.GgufValue;
import dev.edgebox.engine.gguf.GgufValueType;
import dev.edgebox.engine.gguf.GgufWriter;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.Parallel;
import dev.edgebox.engine.tensor.TensorType;
import dev.edgebox.engine.tensor.TensorTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes GGUF models with random weights in the exact shape of real ones, for benchmarks: same
 * tensors, same sizes, same quantization mix, so speed and memory are those of the real model.
 * Weights are Gaussian with the scales of the reference pack's synthetic models (so activations stay
 * in a realistic range); the tokenizer is a byte-level one of the right vocabulary size unless a
 * real one is copied in from another GGUF.
 */
public final class SyntheticModel {

    /** A real model's shape. */
    public record Shape(String name, Architecture arch, int vocab, int dim, int layers, int heads, int kvHeads,
                        int headDim, int ffn, int context, float ropeBase, float eps, boolean tied, boolean qkvBias) {}

    public static final List<Shape> PRESETS = List.of(
            new Shape("qwen2.5-0.5b", Architecture.QWEN2, 151936, 896, 24, 14, 2, 64, 4864, 32768, 1e6f, 1e-6f, true, true),
            new Shape("qwen2.5-1.5b", Architecture.QWEN2, 151936, 1536, 28, 12, 2, 128, 8960, 32768, 1e6f, 1e-6f, true, true),
            new Shape("qwen2.5-3b", Architecture.QWEN2, 151936, 2048, 36, 16, 2, 128, 11008, 32768, 1e6f, 1e-6f, true, true),
            new Shape("qwen3-0.6b", Architecture.QWEN3, 151936, 1024, 28, 16, 8, 128, 3072, 40960, 1e6f, 1e-6f, true, false),
            new Shape("qwen3-1.7b", Architecture.QWEN3, 151936, 2048, 28, 16, 8, 128, 6144, 40960, 1e6f, 1e-6f, true, false),
            new Shape("llama-3.2-1b", Architecture.LLAMA, 128256, 2048, 16, 32, 8, 64, 8192, 131072, 5e5f, 1e-5f, true, false),
            new Shape("llama-3.2-3b", Architecture.LLAMA, 128256, 3072, 28, 24, 8, 128, 8192, 131072, 5e5f, 1e-5f, true, false),
            new Shape("smollm2-360m", Architecture.LLAMA, 49152, 960, 32, 15, 5, 64, 2560, 8192, 1e5f, 1e-5f, true, false),
            new Shape("tiny", Architecture.QWEN2, 512, 256, 2, 4, 2, 64, 768, 2048, 1e6f, 1e-6f, true, true));

    public static Shape preset(String name) {
        for (Shape s : PRESETS) if (s.name.equalsIgnoreCase(name)) return s;
        throw new EngineException("unknown shape '" + name + "'; presets: " + String.join(", ", PRESETS.stream().map(Shape::name).toList()));
    }

    private final Shape shape;
    private final QuantMix mix;
    private final long seed;
    private final GgufMetadata tokenizerSource;

    /**
     * @param tokenizerSource metadata of a GGUF whose tokenizer.* keys are copied in (its vocabulary
     *                        must not be larger than the shape's), or null for a byte-level one
     */
    public SyntheticModel(Shape shape, QuantMix mix, long seed, GgufMetadata tokenizerSource) {
        this.shape = shape;
        this.mix = mix;
        this.seed = seed;
        this.tokenizerSource = tokenizerSource;
    }

    /** Writes the model; progress gets the number of tensors done and the total. */
    public void write(Path out, int threads, Consumer<int[]> progress) throws IOException {
        Shape s = shape;
        String a = s.arch.ggufName + ".";
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", s.arch.ggufName);
        w.putString("general.name", "synthetic " + s.name + " (random weights)");
        w.putUint32("general.file_type", mix.fileType());
        w.putUint32("general.quantization_version", 2);
        w.putUint32(a + "context_length", s.context);
        w.putUint32(a + "embedding_length", s.dim);
        w.putUint32(a + "block_count", s.layers);
        w.putUint32(a + "feed_forward_length", s.ffn);
        w.putUint32(a + "attention.head_count", s.heads);
        w.putUint32(a + "attention.head_count_kv", s.kvHeads);
        if (s.headDim != s.dim / s.heads) {
            w.putUint32(a + "attention.key_length", s.headDim);
            w.putUint32(a + "attention.value_length", s.headDim);
        }
        w.putFloat32(a + "rope.freq_base", s.ropeBase);
        w.putFloat32(a + "attention.layer_norm_rms_epsilon", s.eps);
        w.putUint32(a + "vocab_size", s.vocab);
        writeTokenizer(w);

        record Spec(String name, long[] dims, float std, boolean output) {}
        List<Spec> specs = new java.util.ArrayList<>();
        int q = s.heads * s.headDim, kv = s.kvHeads * s.headDim;
        specs.add(new Spec("token_embd.weight", new long[] {s.dim, s.vocab}, 0.5f, s.tied));
        specs.add(new Spec("output_norm.weight", new long[] {s.dim}, -1, false));
        if (!s.tied) specs.add(new Spec("output.weight", new long[] {s.dim, s.vocab}, 0.5f, true));
        for (int l = 0; l < s.layers; l++) {
            String p = "blk." + l + ".";
            specs.add(new Spec(p + "attn_norm.weight", new long[] {s.dim}, -1, false));
            specs.add(new Spec(p + "attn_q.weight", new long[] {s.dim, q}, (float) (1.5 / Math.sqrt(s.dim)), false));
            specs.add(new Spec(p + "attn_k.weight", new long[] {s.dim, kv}, (float) (1.5 / Math.sqrt(s.dim)), false));
            specs.add(new Spec(p + "attn_v.weight", new long[] {s.dim, kv}, (float) (1 / Math.sqrt(s.dim)), false));
            if (s.qkvBias) {
                specs.add(new Spec(p + "attn_q.bias", new long[] {q}, 0.3f, false));
                specs.add(new Spec(p + "attn_k.bias", new long[] {kv}, 0.3f, false));
                specs.add(new Spec(p + "attn_v.bias", new long[] {kv}, 0.3f, false));
            }
            if (s.arch.qkNorm) {
                specs.add(new Spec(p + "attn_q_norm.weight", new long[] {s.headDim}, -1, false));
                specs.add(new Spec(p + "attn_k_norm.weight", new long[] {s.headDim}, -1, false));
            }
            specs.add(new Spec(p + "attn_output.weight", new long[] {q, s.dim}, (float) (8 / Math.sqrt(q)), false));
            specs.add(new Spec(p + "ffn_norm.weight", new long[] {s.dim}, -1, false));
            specs.add(new Spec(p + "ffn_gate.weight", new long[] {s.dim, s.ffn}, (float) (1 / Math.sqrt(s.dim)), false));
            specs.add(new Spec(p + "ffn_up.weight", new long[] {s.dim, s.ffn}, (float) (1 / Math.sqrt(s.dim)), false));
            specs.add(new Spec(p + "ffn_down.weight", new long[] {s.ffn, s.dim}, (float) (8 / Math.sqrt(s.ffn)), false));
        }

        int[] done = {0};
        try (Parallel pool = new Parallel(threads)) {
            for (int i = 0; i < specs.size(); i++) {
                Spec sp = specs.get(i);
                int layer = sp.name.startsWith("blk.") ? Integer.parseInt(sp.name.split("\\.")[1]) : -1;
                GgmlType type = sp.dims.length == 1 ? GgmlType.F32
                        : mix.typeFor(sp.name, (int) sp.dims[0], layer, s.layers, sp.output);
                long tensorSeed = seed * 1_000_003L + i;
                w.addTensor(sp.name, type, sp.dims, outStream -> {
                    writeRandom(outStream, type, sp.dims, sp.std, tensorSeed, pool);
                    progress.accept(new int[] {++done[0], specs.size()});
                });
            }
            w.write(out);
        }
    }

    /** Rows of Gaussian values (norm weights: 1 + N(0, 0.05^2)), quantized in parallel, streamed in row blocks. */
    private static void writeRandom(OutputStream out, GgmlType type, long[] dims, float std, long seed, Parallel pool) throws IOException {
        int cols = (int) dims[0];
        int rows = dims.length == 1 ? 1 : (int) dims[1];
        TensorType tt = TensorTypes.of(type, "synthetic");
        long rowBytes = tt.rowBytes(cols);
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, (8L << 20) / Math.max(1, rowBytes)));
        byte[] buf = new byte[(int) (rowBytes * rowsPerChunk)];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (int r0 = 0; r0 < rows; r0 += rowsPerChunk) {
            int n = Math.min(rowsPerChunk, rows - r0);
            int first = r0;
            pool.forRange(n, 1, (a, b) -> {
                float[] row = new float[cols];
                for (int r = a; r < b; r++) {
                    SplittableRandom rnd = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (first + r + 1)));
                    for (int c = 0; c < cols; c++) {
                        double g = rnd.nextGaussian();
                        row[c] = std < 0 ? (float) (1 + 0.05 * g) : (float) (std * g);
                    }
                    tt.quantize(row, 0, cols, seg, r * rowBytes);
                }
            });
            out.write(buf, 0, (int) (n * rowBytes));
        }
    }

    /** Either the tokenizer of another GGUF, padded to the vocabulary size, or a byte-level one. */
    private void writeTokenizer(GgufWriter w) {
        int vocab = shape.vocab;
        if (tokenizerSource != null) {
            String[] tokens = tokenizerSource.getStringArray("tokenizer.ggml.tokens");
            if (tokens.length > vocab) {
                throw new EngineException("the tokenizer has " + tokens.length + " tokens, more than the shape's vocabulary of " + vocab);
            }
            for (var e : tokenizerSource.asMap().entrySet()) {
                if (!e.getKey().startsWith("tokenizer.")) continue;
                w.put(e.getKey(), padded(e.getKey(), e.getValue(), tokens.length, vocab));
            }
            return;
        }
        String[] tokens = new String[vocab];
        int[] types = new int[vocab];
        int[] byteToChar = Gpt2Bytes.byteToChar();
        for (int b = 0; b < 256; b++) {
            tokens[b] = new String(Character.toChars(byteToChar[b]));
            types[b] = 1;
        }
        for (int i = 256; i < vocab; i++) {
            tokens[i] = "[PAD" + i + "]";
            types[i] = 5;
        }
        int eot = vocab - 3;
        tokens[eot] = "<|endoftext|>";
        tokens[vocab - 2] = "<|im_start|>";
        tokens[vocab - 1] = "<|im_end|>";
        types[eot] = types[vocab - 2] = types[vocab - 1] = 3;
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "qwen2");
        w.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        w.put("tokenizer.ggml.token_type", GgufValue.int32s(types));
        w.put("tokenizer.ggml.merges", GgufValue.strings());
        w.putUint32("tokenizer.ggml.bos_token_id", eot);
        w.putUint32("tokenizer.ggml.eos_token_id", vocab - 1);
        w.putUint32("tokenizer.ggml.padding_token_id", eot);
        w.putBool("tokenizer.ggml.add_bos_token", false);
        w.putString("tokenizer.chat_template", "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
    }

    /** Pads per-token arrays (tokens, types, scores) with unused entries up to the vocabulary size. */
    private static GgufValue padded(String key, GgufValue v, int have, int want) {
        if (have == want || v.type() != GgufValueType.ARRAY || v.length() != have) return v;
        return switch (v.value()) {
            case String[] s -> {
                String[] p = Arrays.copyOf(s, want);
                for (int i = have; i < want; i++) p[i] = "[PAD" + i + "]";
                yield GgufValue.array(GgufValueType.STRING, p);
            }
            case int[] t -> {
                int[] p = Arrays.copyOf(t, want);
                Arrays.fill(p, have, want, 5);
                yield GgufValue.array(v.elementType(), p);
            }
            case float[] f -> GgufValue.array(v.elementType(), Arrays.copyOf(f, want));
            default -> v;
        };
    }
}
