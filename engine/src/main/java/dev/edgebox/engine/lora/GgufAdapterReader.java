package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.tensor.TensorTypes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a llama.cpp LoRA adapter GGUF ({@code general.type=adapter}, {@code adapter.type=lora},
 * tensors {@code blk.N.attn_q.weight.lora_a/.lora_b}) for a base model. Its rows are already in the
 * base GGUF's order; the scale is llama.cpp's: alpha / rank, or 1 when alpha is 0.
 */
public final class GgufAdapterReader {
    private static final Pattern LORA_TENSOR = Pattern.compile("blk\\.(\\d{1,6})\\.(\\w+)\\.weight\\.lora_([ab])");

    private GgufAdapterReader() {}

    public static LoraAdapter read(Path file, String name, ModelConfig base) {
        try (GgufFile f = GgufFile.open(file)) {
            return read(f, name, base);
        }
    }

    private record Half(TensorInfo a, TensorInfo b) {}

    static LoraAdapter read(GgufFile f, String name, ModelConfig base) {
        String where = f.path().toString();
        GgufMetadata md = f.metadata();
        String type = md.getString("general.type", "");
        if (!type.equals("adapter")) {
            throw new EngineException(where + " is " + (type.isEmpty() || type.equals("model") ? "a model" : "a GGUF of type " + EngineException.quote(type))
                    + ", not a LoRA adapter (general.type=adapter)");
        }
        String adapterType = md.getString("adapter.type", "");
        if (!adapterType.equals("lora")) {
            throw new EngineException(where + " is an adapter of type " + EngineException.quote(adapterType) + "; edgebox runs LoRA adapters (adapter.type=lora)");
        }
        if (md.has("adapter.alora.invocation_tokens")) {
            throw new EngineException(where + " is an activated LoRA (aLoRA), which edgebox does not support");
        }
        String arch = md.getString("general.architecture", "");
        if (!arch.equals(base.architecture().ggufName)) {
            throw new EngineException(where + " is an adapter for architecture " + EngineException.quote(arch) + " but the model is "
                    + base.architecture().ggufName + "; the adapter is for another base model");
        }
        String blocks = arch + ".block_count";
        if (md.has(blocks) && md.getInt(blocks) != base.layers()) {
            throw new EngineException(where + " is an adapter for a model of " + md.getInt(blocks) + " layers but the model has "
                    + base.layers() + "; the adapter is for another base model");
        }
        float alpha = md.has("adapter.lora.alpha") ? md.getFloat("adapter.lora.alpha") : 0f;

        Map<Long, Half> halves = new LinkedHashMap<>();
        for (TensorInfo t : f.tensors().values()) {
            Matcher m = LORA_TENSOR.matcher(t.name());
            LoraTarget target = m.matches() ? LoraTarget.byGgufName(m.group(2)) : null;
            if (target == null) throw unsupported(where, t.name());
            long key = Long.parseLong(m.group(1)) * LoraTarget.count() + target.ordinal();
            Half h = halves.getOrDefault(key, new Half(null, null));
            boolean isA = m.group(3).equals("a");
            if ((isA ? h.a : h.b) != null) throw new EngineException(where + ": tensor " + t.name() + " appears twice");
            halves.put(key, isA ? new Half(t, h.b) : new Half(h.a, t));
        }

        LoraAdapter.Builder builder = LoraAdapter.builder(name, LoraAdapter.Format.GGUF, f.path(), base);
        for (var e : halves.entrySet()) {
            int layer = (int) (e.getKey() / LoraTarget.count());
            LoraTarget target = LoraTarget.of((int) (e.getKey() % LoraTarget.count()));
            String weight = target.ggufWeight(layer);
            Half h = e.getValue();
            if (h.a == null || h.b == null) {
                throw new EngineException(where + ": " + weight + " has lora_" + (h.a == null ? "b" : "a") + " but no lora_"
                        + (h.a == null ? "a" : "b") + " tensor; the file is incomplete");
            }
            // ggml order: lora_a is [in, rank], lora_b is [rank, out].
            if (h.a.dims().length != 2 || h.b.dims().length != 2 || h.a.dims()[1] != h.b.dims()[0]) {
                throw new EngineException(where + ": " + weight + " has lora_a " + h.a.shape() + " and lora_b " + h.b.shape()
                        + ", expected [in, rank] and [rank, out]");
            }
            int rank = (int) h.a.dims()[1];
            builder.check(layer, target, (int) h.a.dims()[0], (int) h.b.dims()[1], weight + ".lora_a/b");
            float scale = alpha != 0 ? alpha / rank : 1f;
            builder.put(layer, target, LoraPair.fromAB(floats(h.a), floats(h.b), rank, target.in(base), target.out(base), scale),
                    weight + ".lora_a/b");
        }
        return builder.build();
    }

    private static float[] floats(TensorInfo t) {
        int n = Math.toIntExact(t.elementCount());
        float[] out = new float[n];
        TensorTypes.of(t.type(), t.name()).dequantize(t.data(), 0, out, 0, n);
        return out;
    }

    private static EngineException unsupported(String where, String tensor) {
        String q = EngineException.quote(tensor);
        String why;
        if (tensor.startsWith("token_embd")) why = "adapts the token embeddings, which edgebox does not support";
        else if (tensor.startsWith("output.")) why = "adapts the output projection, which edgebox does not support";
        else if (tensor.contains("norm")) why = "replaces a norm weight, which edgebox does not support";
        else why = "is not a LoRA weight of a q, k, v, o, gate, up or down projection (blk.N.attn_q.weight.lora_a)";
        return new EngineException(where + ": tensor " + q + " " + why);
    }
}
