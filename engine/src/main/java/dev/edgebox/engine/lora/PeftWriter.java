package dev.edgebox.engine.lora;

import dev.edgebox.engine.grammar.Json;
import dev.edgebox.engine.model.Architecture;
import dev.edgebox.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes an adapter as a Hugging Face PEFT directory (adapter_config.json +
 * adapter_model.safetensors, F32), in Hugging Face row order: q/k rows of llama bases go back
 * through the inverse of llama.cpp's permutation. A pair whose rank or scale differs from the first
 * gets rank_pattern / alpha_pattern entries under its full module name, so scales round-trip exactly.
 */
public final class PeftWriter {
    private PeftWriter() {}

    /** @param base the model the adapter was loaded for (head counts for the q/k order) */
    public static void write(LoraAdapter adapter, ModelConfig base, Path dir) throws IOException {
        adapter.requireFits(base);
        Files.createDirectories(dir);
        SafetensorsWriter st = new SafetensorsWriter();
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        LoraPair first = null;
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Double> alphas = new LinkedHashMap<>();
        for (int l = 0; l < adapter.layers(); l++) {
            for (int t = 0; t < LoraTarget.count(); t++) {
                LoraTarget target = LoraTarget.of(t);
                LoraPair p = adapter.pair(l, target);
                if (p == null) continue;
                if (base.architecture() == Architecture.LLAMA && (target == LoraTarget.Q || target == LoraTarget.K)) {
                    int heads = target == LoraTarget.Q ? base.heads() : base.kvHeads();
                    p = p.withRowsFrom(QkPermutation.ggufToHf(heads, base.headDim()));
                }
                if (first == null) first = p;
                String module = target.peftModule(l);
                if (p.rank() != first.rank()) ranks.put(module, p.rank());
                if (alpha(p) != alpha(first)) alphas.put(module, alpha(p));
                targets.add(target);
                String prefix = "base_model.model." + module;
                st.add(prefix + ".lora_A.weight", Safetensors.Dtype.F32, new long[] {p.rank(), p.in()}, p.a());
                st.add(prefix + ".lora_B.weight", Safetensors.Dtype.F32, new long[] {p.out(), p.rank()}, p.b());
            }
        }
        st.metadata("format", "pt");
        st.write(dir.resolve(PeftAdapterReader.WEIGHTS));

        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"peft_type\": \"LORA\",\n  \"task_type\": \"CAUSAL_LM\",\n");
        j.append("  \"r\": ").append(first.rank()).append(",\n");
        j.append("  \"lora_alpha\": ").append(alpha(first)).append(",\n");
        j.append("  \"use_rslora\": false,\n  \"use_dora\": false,\n  \"bias\": \"none\",\n  \"fan_in_fan_out\": false,\n");
        j.append("  \"target_modules\": [");
        int i = 0;
        for (LoraTarget t : targets) j.append(i++ > 0 ? ", " : "").append(Json.quote(t.peftName));
        j.append("],\n  \"rank_pattern\": {");
        i = 0;
        for (var e : ranks.entrySet()) j.append(i++ > 0 ? ", " : "").append(Json.quote(e.getKey())).append(": ").append(e.getValue());
        j.append("},\n  \"alpha_pattern\": {");
        i = 0;
        for (var e : alphas.entrySet()) j.append(i++ > 0 ? ", " : "").append(Json.quote(e.getKey())).append(": ").append(e.getValue());
        j.append("},\n  \"edgebox_source\": ").append(Json.quote(adapter.name())).append("\n}\n");
        Files.writeString(dir.resolve(PeftAdapterReader.CONFIG), j.toString(), StandardCharsets.UTF_8);
    }

    /** alpha = scale * rank, exact in double, so alpha / rank gives the scale back bit for bit. */
    private static double alpha(LoraPair p) {
        return (double) p.scale() * p.rank();
    }
}
