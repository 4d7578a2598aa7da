package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face PEFT LoRA directory (adapter_config.json + adapter_model.safetensors) for a
 * base model: pairs A/B tensors by layer and projection, checks shapes and coverage against the base,
 * applies the per-module scale, and permutes q/k rows for llama bases as llama.cpp's converter does.
 */
public final class PeftAdapterReader {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";

    /** base_model.model.model.layers.3.self_attn.q_proj.lora_A[.default].weight, with the prefixes optional. */
    private static final Pattern LORA_TENSOR = Pattern.compile(
            "(?:base_model\\.model\\.)?(?:model\\.)?layers\\.(\\d{1,6})\\.(self_attn|mlp)\\.(\\w+)\\.lora_([AB])(?:\\.[\\w-]+)?\\.weight");

    private PeftAdapterReader() {}

    public static boolean isPeftDirectory(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve(CONFIG));
    }

    public static LoraAdapter read(Path dir, String name, ModelConfig base) {
        if (!Files.isDirectory(dir)) throw new EngineException("adapter directory not found: " + dir);
        Path configFile = dir.resolve(CONFIG), weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(configFile)) {
            throw new EngineException(dir + " is not a PEFT adapter: it has no " + CONFIG);
        }
        if (!Files.isRegularFile(weightsFile)) {
            if (Files.isRegularFile(dir.resolve("adapter_model.bin"))) {
                throw new EngineException(dir + " holds adapter_model.bin (a PyTorch pickle), which edgebox does not read;"
                        + " save the adapter with safe_serialization=True to get " + WEIGHTS);
            }
            throw new EngineException(dir + " is not a PEFT adapter: it has no " + WEIGHTS);
        }
        PeftConfig config = PeftConfig.read(configFile);
        try (Safetensors st = Safetensors.open(weightsFile)) {
            return build(dir, name, base, config, st);
        }
    }

    private record Half(Safetensors.Tensor a, Safetensors.Tensor b) {}

    private static LoraAdapter build(Path dir, String name, ModelConfig base, PeftConfig config, Safetensors st) {
        String where = st.path().toString();
        Map<Long, Half> halves = new LinkedHashMap<>(); // key: layer * targets + target
        for (Safetensors.Tensor t : st.tensors().values()) {
            Matcher m = LORA_TENSOR.matcher(t.name());
            if (!m.matches()) throw unsupported(where, t.name());
            LoraTarget target = LoraTarget.byPeftName(m.group(3));
            if (target == null || !target.peftBlock.equals(m.group(2))) {
                throw new EngineException(where + ": tensor " + EngineException.quote(t.name()) + " adapts "
                        + m.group(2) + "." + m.group(3) + "; edgebox applies LoRA to q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj and down_proj");
            }
            long layer = Long.parseLong(m.group(1));
            long key = layer * LoraTarget.count() + target.ordinal();
            Half h = halves.getOrDefault(key, new Half(null, null));
            boolean isA = m.group(4).equals("A");
            if ((isA ? h.a : h.b) != null) throw new EngineException(where + ": two lora_" + m.group(4) + " tensors for " + target.peftModule((int) layer));
            halves.put(key, isA ? new Half(t, h.b) : new Half(h.a, t));
        }

        LoraAdapter.Builder builder = LoraAdapter.builder(name, LoraAdapter.Format.PEFT, dir, base);
        Map<LoraTarget, BitSet> covered = new EnumMap<>(LoraTarget.class);
        for (var e : halves.entrySet()) {
            int layer = (int) (e.getKey() / LoraTarget.count());
            LoraTarget target = LoraTarget.of((int) (e.getKey() % LoraTarget.count()));
            String module = target.peftModule(layer);
            Half h = e.getValue();
            if (h.a == null || h.b == null) {
                throw new EngineException(where + ": " + module + " has lora_" + (h.a == null ? "B" : "A") + " but no lora_"
                        + (h.a == null ? "A" : "B") + " tensor; the file is incomplete");
            }
            if (h.a.shape().length != 2 || h.b.shape().length != 2 || h.a.shape()[0] != h.b.shape()[1] || h.a.shape()[0] < 1) {
                throw new EngineException(where + ": " + module + " has lora_A " + h.a.shapeText() + " and lora_B " + h.b.shapeText()
                        + ", expected [r, in] and [out, r]");
            }
            int rank = (int) h.a.shape()[0];
            int configured = config.rankFor(module);
            if (configured != rank) {
                throw new EngineException(where + ": " + module + " has rank " + rank + " but " + CONFIG + " says " + configured);
            }
            String what = module + ".lora_A/B";
            builder.check(layer, target, (int) h.a.shape()[1], (int) h.b.shape()[0], what);
            LoraPair pair = LoraPair.fromAB(Safetensors.floats(h.a), Safetensors.floats(h.b), rank,
                    target.in(base), target.out(base), config.scaleFor(module, rank));
            if (base.architecture() == Architecture.LLAMA && (target == LoraTarget.Q || target == LoraTarget.K)) {
                int heads = target == LoraTarget.Q ? base.heads() : base.kvHeads();
                pair = pair.withRowsFrom(QkPermutation.hfToGguf(heads, base.headDim()));
            }
            builder.put(layer, target, pair, what);
            covered.computeIfAbsent(target, t -> new BitSet()).set(layer);
        }
        checkCoverage(where, base, config, covered);
        return builder.build();
    }

    /**
     * Listed target modules must have weights, and without layers_to_transform every layer: an
     * adapter for a shallower model of the same width would otherwise slip through.
     */
    private static void checkCoverage(String where, ModelConfig base, PeftConfig config, Map<LoraTarget, BitSet> covered) {
        if (config.targetModules() == null) return;
        for (String module : config.targetModules()) {
            LoraTarget t = LoraTarget.byPeftName(module);
            if (t != null && !covered.containsKey(t)) {
                throw new EngineException(where + " has no " + module + " tensors, but " + CONFIG + " lists it in target_modules; the file is incomplete");
            }
        }
        if (config.layersLimited()) return;
        for (var e : covered.entrySet()) {
            int n = e.getValue().cardinality();
            if (n != base.layers()) {
                throw new EngineException(where + " adapts " + e.getKey().peftName + " in " + n + " of the model's "
                        + base.layers() + " layers and sets no layers_to_transform; the adapter is for another base model");
            }
        }
    }

    private static EngineException unsupported(String where, String tensor) {
        String q = EngineException.quote(tensor);
        String why;
        if (tensor.contains("lora_magnitude_vector")) why = "is a DoRA magnitude vector; DoRA adapters are not supported";
        else if (tensor.contains("lora_embedding") || tensor.contains("embed_tokens")) why = "adapts the token embeddings, which edgebox does not support";
        else if (tensor.contains("lm_head")) why = "adapts lm_head, which edgebox does not support";
        else if (tensor.contains("modules_to_save")) why = "is a full module copy (modules_to_save), which edgebox does not support";
        else if (tensor.endsWith(".bias")) why = "is a bias term; LoRA biases are not supported";
        else why = "is not a LoRA weight; expected names like base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight";
        return new EngineException(where + ": tensor " + q + " " + why);
    }
}
