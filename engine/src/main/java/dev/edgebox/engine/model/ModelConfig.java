package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.GgufMetadata;
import dev.edgebox.engine.gguf.TensorInfo;

/**
 * Hyper-parameters of a decoder, read from GGUF metadata ({@code <arch>.*} keys) and checked
 * against the tensors.
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnDim,
        int contextLength,
        float rmsEps,
        float ropeBase,
        int ropeDims,
        float ropeFreqScale,
        boolean tiedOutput) {

    public int qDim() {
        return heads * headDim;
    }

    public int kvDim() {
        return kvHeads * headDim;
    }

    public static ModelConfig from(GgufFile file) {
        GgufMetadata md = file.metadata();
        if (!md.has("general.architecture")) {
            throw new EngineException(file.path() + " has no general.architecture: it is not a model file");
        }
        String archName = md.getString("general.architecture");
        String type = md.getString("general.type", "model");
        if (!type.equals("model")) {
            throw new EngineException(file.path() + " is a GGUF of type " + EngineException.quote(type) + ", not a model"
                    + (type.equals("adapter") ? " (pass adapters with --lora)" : ""));
        }
        Architecture arch = Architecture.fromGguf(archName);
        String p = archName + ".";
        int dim = requirePositive(md, p + "embedding_length");
        int layers = requirePositive(md, p + "block_count");
        int heads = requirePositive(md, p + "attention.head_count");
        int kvHeads = md.getInt(p + "attention.head_count_kv", heads);
        int headDim = md.getInt(p + "attention.key_length", dim / heads);
        int valueDim = md.getInt(p + "attention.value_length", headDim);
        if (valueDim != headDim) throw new EngineException("attention.value_length " + valueDim + " differs from key_length " + headDim + "; not supported");
        if (kvHeads <= 0 || heads % kvHeads != 0) {
            throw new EngineException(p + "attention.head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        }
        int ffn = requirePositive(md, p + "feed_forward_length");
        int ctx = md.getInt(p + "context_length", 2048);
        float eps = md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        float base = md.getFloat(p + "rope.freq_base", 10000f);
        int ropeDims = md.getInt(p + "rope.dimension_count", headDim);
        float freqScale = 1f;
        String scaling = md.getString(p + "rope.scaling.type", "none");
        if (scaling.equals("linear")) {
            float factor = md.getFloat(p + "rope.scaling.factor", 1f);
            if (factor > 0) freqScale = 1f / factor;
        } else if (!scaling.equals("none") && !scaling.equals("llama3")) {
            throw new EngineException("rope scaling " + EngineException.quote(scaling) + " is not supported yet (supported: none, linear, llama3 frequency factors)");
        }

        TensorInfo embd = file.tensor("token_embd.weight");
        if (embd == null) throw new EngineException(file.path() + " has no token_embd.weight tensor");
        if (embd.dims().length != 2 || embd.dims()[0] != dim) {
            throw new EngineException("token_embd.weight has shape " + embd.shape() + ", expected [" + dim + ", n_vocab]");
        }
        int vocab = (int) embd.dims()[1];
        boolean tied = file.tensor("output.weight") == null;
        if (ropeDims > headDim || ropeDims % 2 != 0) throw new EngineException(p + "rope.dimension_count " + ropeDims + " does not fit head size " + headDim);
        return new ModelConfig(arch, vocab, dim, layers, heads, kvHeads, headDim, ffn, ctx, eps, base, ropeDims, freqScale, tied);
    }

    private static int requirePositive(GgufMetadata md, String key) {
        if (!md.has(key)) throw new EngineException("model metadata lacks " + key);
        int v = md.getInt(key);
        if (v <= 0) throw new EngineException("model metadata " + key + " is " + v + ", expected a positive number");
        return v;
    }
}
