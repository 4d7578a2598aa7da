package dev.edgebox.engine.tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * The tensor element types of ggml, with their GGUF ids and block layouts. Every id llama.cpp has
 * defined is listed so that an unsupported file is named precisely in errors; which of them we can
 * compute with is decided by {@link TensorTypes}.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17);

    /** The id stored in GGUF tensor infos. */
    public final int id;
    /** Elements per block; a row's length must be a multiple of it. */
    public final int blockSize;
    /** Bytes per block. */
    public final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    private static final Map<Integer, GgmlType> BY_ID = new HashMap<>();
    static {
        for (GgmlType t : values()) BY_ID.put(t.id, t);
    }

    /** The type with this GGUF id, or null if the id is unknown. */
    public static GgmlType byId(int id) {
        return BY_ID.get(id);
    }

    /** Bytes taken by {@code elements} values; elements must be a multiple of the block size. */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
        }
        return elements / blockSize * blockBytes;
    }

    /** The name llama.cpp prints, e.g. "q4_K" -> we use our enum name in lower case: "q4_k". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
