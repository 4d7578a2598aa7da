package dev.edgebox.engine.gguf;

import dev.edgebox.engine.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a GGUF file. {@code dims[0]} is the innermost (contiguous) dimension, as in ggml:
 * a weight matrix of a linear layer has dims {in, out} and is stored row by row, one row per output.
 * {@code data} is a slice of the mapped file, never a copy.
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset, MemorySegment data) {

    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    /** Length of a row (dims[0]). */
    public int columns() {
        return Math.toIntExact(dims[0]);
    }

    /** Number of rows: the product of all dims but the first. */
    public int rows() {
        return Math.toIntExact(elementCount() / dims[0]);
    }

    public String shape() {
        return Arrays.toString(dims);
    }

    @Override
    public String toString() {
        return name + " " + type.displayName() + " " + shape();
    }
}
