package dev.edgebox.engine.lora;

/**
 * llama.cpp's converter reorders the rows of q and k weights of {@code llama} models so that RoPE
 * rotates adjacent pairs: within each head, Hugging Face row {@code a * hd/2 + b} (a = half, b = pair)
 * becomes GGUF row {@code 2b + a}. A PEFT adapter is in Hugging Face order, so its lora_B rows for
 * q_proj and k_proj must move the same way before they meet a llama GGUF; qwen2/qwen3 keep the order.
 */
final class QkPermutation {
    private QkPermutation() {}

    /** perm[ggufRow] = hfRow, for heads of headDim rows each. */
    static int[] hfToGguf(int heads, int headDim) {
        int half = headDim / 2;
        int[] perm = new int[heads * headDim];
        for (int h = 0; h < heads; h++) {
            for (int b = 0; b < half; b++) {
                for (int a = 0; a < 2; a++) perm[h * headDim + 2 * b + a] = h * headDim + a * half + b;
            }
        }
        return perm;
    }

    /** perm[hfRow] = ggufRow: the inverse, for writing PEFT files from GGUF-ordered pairs. */
    static int[] ggufToHf(int heads, int headDim) {
        int[] fwd = hfToGguf(heads, headDim);
        int[] inv = new int[fwd.length];
        for (int g = 0; g < fwd.length; g++) inv[fwd[g]] = g;
        return inv;
    }
}
