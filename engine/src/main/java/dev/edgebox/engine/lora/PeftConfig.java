package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What we use of a PEFT adapter_config.json: rank, alpha, rsLoRA, per-module rank and alpha
 * patterns, target modules; and a refusal, in one line, of every variant we would run wrongly
 * (DoRA, other PEFT types, activated LoRA, layer replication).
 *
 * @param targetModules the listed target module names, or null when given as a regex or "all-linear"
 * @param layersLimited layers_to_transform is set, so not every layer need be adapted
 */
public record PeftConfig(int r, double alpha, boolean rsLora, List<String> targetModules, boolean layersLimited,
                         Map<String, Integer> rankPattern, Map<String, Double> alphaPattern) {

    public static PeftConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Object root;
        try {
            root = Json.parsePlain(text);
        } catch (Json.SyntaxException e) {
            throw new EngineException(file + " is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) throw new EngineException(file + " is not a JSON object");
        return from(file, m);
    }

    static PeftConfig from(Path file, Map<?, ?> m) {
        String where = file.toString();
        Object type = m.get("peft_type");
        if (type != null && !"LORA".equals(type)) {
            throw new EngineException(where + ": peft_type " + EngineException.quote(String.valueOf(type))
                    + " is not supported; edgebox runs LoRA adapters (peft_type LORA)");
        }
        if (Boolean.TRUE.equals(m.get("use_dora"))) {
            throw new EngineException(where + ": DoRA adapters (use_dora: true) are not supported; merge it into the base model"
                    + " with PEFT's merge_and_unload, or train a plain LoRA adapter");
        }
        if (m.get("alora_invocation_tokens") != null || m.get("invocation_string") != null) {
            throw new EngineException(where + ": activated LoRA (aLoRA, invocation tokens) is not supported");
        }
        if (m.get("layer_replication") != null) {
            throw new EngineException(where + ": layer_replication is not supported");
        }
        if (Boolean.TRUE.equals(m.get("lora_bias"))) {
            throw new EngineException(where + ": LoRA bias terms (lora_bias: true) are not supported");
        }
        int r = intValue(where, m, "r", 8);
        double alpha = number(where, m, "lora_alpha", 8);
        boolean rs = Boolean.TRUE.equals(m.get("use_rslora"));
        List<String> targets = null;
        if (m.get("target_modules") instanceof List<?> l) {
            targets = l.stream().map(String::valueOf).toList();
        }
        boolean limited = m.get("layers_to_transform") != null;
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Double> alphas = new LinkedHashMap<>();
        if (m.get("rank_pattern") instanceof Map<?, ?> rp) {
            rp.forEach((k, v) -> ranks.put((String) k, (int) numberOf(where, "rank_pattern." + k, v)));
        }
        if (m.get("alpha_pattern") instanceof Map<?, ?> ap) {
            ap.forEach((k, v) -> alphas.put((String) k, numberOf(where, "alpha_pattern." + k, v)));
        }
        for (String k : ranks.keySet()) checkPattern(where, "rank_pattern", k);
        for (String k : alphas.keySet()) checkPattern(where, "alpha_pattern", k);
        return new PeftConfig(r, alpha, rs, targets, limited, Map.copyOf(ranks), Map.copyOf(alphas));
    }

    /** The rank configured for a module (rank_pattern, else r). */
    public int rankFor(String module) {
        String key = patternKey(rankPattern.keySet(), module);
        return key == null ? r : rankPattern.get(key);
    }

    /** The alpha configured for a module (alpha_pattern, else lora_alpha). */
    public double alphaFor(String module) {
        String key = patternKey(alphaPattern.keySet(), module);
        return key == null ? alpha : alphaPattern.get(key);
    }

    /** PEFT's scaling: alpha / r, or alpha / sqrt(r) with rsLoRA. */
    public float scaleFor(String module, int rank) {
        double a = alphaFor(module);
        return (float) (rsLora ? a / Math.sqrt(rank) : a / rank);
    }

    /** PEFT's rule: an exact name first, else the first key that matches the name's tail after a dot. */
    private static String patternKey(Iterable<String> keys, String module) {
        for (String k : keys) if (k.equals(module)) return k;
        for (String k : keys) {
            if (Pattern.compile("(.*\\.)?(" + k + ")").matcher(module).matches()) return k;
        }
        return null;
    }

    private static void checkPattern(String where, String field, String key) {
        try {
            Pattern.compile(key);
        } catch (PatternSyntaxException e) {
            throw new EngineException(where + ": " + field + " key " + EngineException.quote(key) + " is not a valid pattern");
        }
    }

    private static int intValue(String where, Map<?, ?> m, String key, int dflt) {
        if (!m.containsKey(key) || m.get(key) == null) return dflt;
        double v = numberOf(where, key, m.get(key));
        if (v != Math.rint(v) || v < 1) throw new EngineException(where + ": " + key + " is " + m.get(key) + ", expected a positive integer");
        return (int) v;
    }

    private static double number(String where, Map<?, ?> m, String key, double dflt) {
        if (!m.containsKey(key) || m.get(key) == null) return dflt;
        return numberOf(where, key, m.get(key));
    }

    private static double numberOf(String where, String key, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        throw new EngineException(where + ": " + key + " is " + EngineException.quote(String.valueOf(v)) + ", expected a number");
    }
}
