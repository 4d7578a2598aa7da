package dev.edgebox.engine.lora;

import dev.edgebox.engine.model.ModelConfig;

/**
 * The seven projections of a decoder block that adapters may change, with their names in PEFT
 * ({@code self_attn.q_proj}) and in GGUF ({@code attn_q}) and their widths in a given model.
 */
public enum LoraTarget {
    Q("self_attn", "q_proj", "attn_q"),
    K("self_attn", "k_proj", "attn_k"),
    V("self_attn", "v_proj", "attn_v"),
    O("self_attn", "o_proj", "attn_output"),
    GATE("mlp", "gate_proj", "ffn_gate"),
    UP("mlp", "up_proj", "ffn_up"),
    DOWN("mlp", "down_proj", "ffn_down");

    private static final LoraTarget[] ALL = values();

    /** The module holding the projection in Hugging Face models. */
    public final String peftBlock;
    /** The projection's module name in PEFT (and in target_modules). */
    public final String peftName;
    /** The weight's name in GGUF, without {@code blk.N.} and {@code .weight}. */
    public final String ggufName;

    LoraTarget(String peftBlock, String peftName, String ggufName) {
        this.peftBlock = peftBlock;
        this.peftName = peftName;
        this.ggufName = ggufName;
    }

    /** Input width (columns of the weight, columns of lora_A). */
    public int in(ModelConfig c) {
        return switch (this) {
            case Q, K, V, GATE, UP -> c.dim();
            case O -> c.qDim();
            case DOWN -> c.ffnDim();
        };
    }

    /** Output width (rows of the weight, rows of lora_B). */
    public int out(ModelConfig c) {
        return switch (this) {
            case Q -> c.qDim();
            case O, DOWN -> c.dim();
            case K, V -> c.kvDim();
            case GATE, UP -> c.ffnDim();
        };
    }

    /** The base weight's GGUF tensor name in a layer. */
    public String ggufWeight(int layer) {
        return "blk." + layer + "." + ggufName + ".weight";
    }

    /** The module's name in a Hugging Face model, as rank_pattern and alpha_pattern match it. */
    public String peftModule(int layer) {
        return "model.layers." + layer + "." + peftBlock + "." + peftName;
    }

    public static LoraTarget byPeftName(String name) {
        for (LoraTarget t : ALL) if (t.peftName.equals(name)) return t;
        return null;
    }

    public static LoraTarget byGgufName(String name) {
        for (LoraTarget t : ALL) if (t.ggufName.equals(name)) return t;
        return null;
    }

    public static int count() {
        return ALL.length;
    }

    public static LoraTarget of(int ordinal) {
        return ALL[ordinal];
    }
}
