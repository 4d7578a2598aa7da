package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * One weight type: its block layout, conversions and dot kernels. Weights stay in the mapped file;
 * a kernel reads them in place. Inputs are first converted to the type's {@link ActivationFormat}
 * (as ggml converts them to its vec_dot_type), so Q8/Q4 kernels can use integer dot products.
 *
 * <p>Rows and columns follow ggml: a matrix has {@code rows} rows of {@code cols} elements each,
 * stored row after row; a linear layer's weight has one row per output. Every row starts on a block
 * boundary because cols is a multiple of the block size.
 *
 * <p>Adding a type means one class implementing this interface and one line in {@link TensorTypes}.
 */
public interface TensorType {

    GgmlType ggml();

    /** The form the kernels of this type want their input in. */
    ActivationFormat activationFormat();

    /** Bytes of one row of {@code cols} elements. */
    default long rowBytes(int cols) {
        return ggml().bytesFor(cols);
    }

    /**
     * Decodes {@code count} elements starting at element {@code firstElement} (both multiples of the
     * block size) into dst. Bit-exact with ggml's dequantize_row functions.
     */
    void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count);

    /**
     * Encodes {@code count} floats (a multiple of the block size) into this type at dst's byte
     * offset, for writers (synthetic models, merged adapters). Follows ggml's reference quantizers.
     */
    void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset);

    /**
     * For rows {@code [rowStart, rowEnd)} of the weight matrix and every input row t in
     * {@code [0, nTok)}: {@code out[outOffset + t * outStride + row] = dot(weight row, input row t)}.
     * Single-threaded; callers split rows across threads. The input must be in
     * {@link #activationFormat()}.
     */
    void matmul(MemorySegment weights, int cols, Activations input, int nTok,
                float[] out, int outOffset, int outStride, int rowStart, int rowEnd);
}
