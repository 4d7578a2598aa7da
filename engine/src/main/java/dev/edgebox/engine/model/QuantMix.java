package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.tensor.GgmlType;
import java.util.Locale;

/**
 * Which type each tensor gets when a model is written in a given file type, following
 * llama-quantize's rules for the mixes we write (Q4_K_M, Q5_K_M) and its fallbacks for rows that
 * are not a multiple of 256 (Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0). 1-D tensors stay F32.
 */
public final class QuantMix {
    private final String name;
    private final GgmlType base;
    private final boolean kMix;

    private QuantMix(String name, GgmlType base, boolean kMix) {
        this.name = name;
        this.base = base;
        this.kMix = kMix;
    }

    public static QuantMix parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "q4_k_m" -> new QuantMix(t, GgmlType.Q4_K, true);
            case "q5_k_m" -> new QuantMix(t, GgmlType.Q5_K, true);
            default -> {
                GgmlType g;
                try {
                    g = GgmlType.valueOf(t.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new EngineException("unknown type '" + s + "'; use f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k, q4_k_m or q5_k_m");
                }
                yield new QuantMix(t, g, false);
            }
        };
    }

    public String name() {
        return name;
    }

    /** llama.cpp's general.file_type number for this mix. */
    public int fileType() {
        if (kMix) return base == GgmlType.Q4_K ? 15 : 17;
        return switch (base) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q2_K -> 10;
            case Q3_K -> 12;
            case Q4_K -> 14;
            case Q5_K -> 16;
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> 0;
        };
    }

    /**
     * The type of a 2-D weight.
     *
     * @param name       llama.cpp tensor name
     * @param cols       row length
     * @param layer      block index, or -1 outside blocks
     * @param layers     number of blocks
     * @param isOutput   the output projection (or token_embd when it doubles as output)
     */
    public GgmlType typeFor(String name, int cols, int layer, int layers, boolean isOutput) {
        GgmlType t = base;
        if (kMix) {
            if (isOutput) t = GgmlType.Q6_K;
            else if ((name.contains("attn_v.weight") || name.contains("ffn_down.weight")) && useMoreBits(layer, layers)) t = GgmlType.Q6_K;
        }
        if (cols % t.blockSize != 0) t = fallback(t);
        if (cols % t.blockSize != 0) t = GgmlType.F16;
        return t;
    }

    private static boolean useMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    private static GgmlType fallback(GgmlType t) {
        return switch (t) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            default -> t;
        };
    }
}
