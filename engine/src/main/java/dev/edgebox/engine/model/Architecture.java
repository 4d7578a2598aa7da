package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import java.util.Arrays;

/**
 * The decoder variants we run, as configuration of one decoder: how RoPE pairs dimensions and
 * whether queries and keys get a per-head RMS norm. Biases and tied output are read from the file.
 */
public enum Architecture {
    /** Llama 2/3, Mistral-style, SmolLM2: RoPE on adjacent pairs. */
    LLAMA("llama", RopeStyle.NORMAL, false),
    /** Qwen2 / Qwen2.5: NeoX RoPE, q/k/v biases. */
    QWEN2("qwen2", RopeStyle.NEOX, false),
    /** Qwen3: NeoX RoPE, RMS norm on each query and key head before RoPE. */
    QWEN3("qwen3", RopeStyle.NEOX, true);

    /** How RoPE pairs up dimensions: (2i, 2i+1) or (i, i + n/2). */
    public enum RopeStyle { NORMAL, NEOX }

    public final String ggufName;
    public final RopeStyle rope;
    public final boolean qkNorm;

    Architecture(String ggufName, RopeStyle rope, boolean qkNorm) {
        this.ggufName = ggufName;
        this.rope = rope;
        this.qkNorm = qkNorm;
    }

    public static Architecture fromGguf(String name) {
        for (Architecture a : values()) if (a.ggufName.equals(name)) return a;
        throw new EngineException("unsupported architecture " + EngineException.quote(name) + "; edgebox runs "
                + String.join(", ", Arrays.stream(values()).map(a -> a.ggufName).toList()));
    }
}
