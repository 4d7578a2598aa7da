package dev.edgebox.engine.tensor;

/**
 * How a weight type's kernels want their input, mirroring ggml's vec_dot_type: activations are
 * rounded (F16, BF16) or quantized (Q8_0, Q8_1, Q8_K) once per mat-mul, exactly as llama.cpp does,
 * so our results track llama.cpp's and the quantized kernels can multiply integers.
 */
public enum ActivationFormat {
    /** Plain floats. */
    F32(1),
    /** Floats rounded to fp16 (round to nearest even), kept as floats. */
    F16(1),
    /** Floats rounded to bf16 (round to nearest even), kept as floats. */
    BF16(1),
    /** 32-element blocks: int8 q and a scale d = fp16(amax / 127); q = rint(x * 127 / amax). */
    Q8_0(32),
    /** As Q8_0 plus s = fp16(d * sum(q)) per block, with d the unrounded scale. */
    Q8_1(32),
    /** 256-element blocks: iscale = -127 / max (signed), q = min(127, rint(iscale * x)), d = 1 / iscale, plus sums per 16. */
    Q8_K(256);

    /** Elements per block of the quantized forms. */
    public final int blockSize;

    ActivationFormat(int blockSize) {
        this.blockSize = blockSize;
    }
}
