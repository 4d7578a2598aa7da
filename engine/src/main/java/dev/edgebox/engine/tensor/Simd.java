package dev.edgebox.engine.tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vector species and memory layouts shared by the kernels: the preferred width of this CPU. */
public final class Simd {
    private Simd() {}

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes that widen to one int vector (16 bytes for 512-bit ints). */
    public static final VectorSpecies<Byte> B_FOR_I = VectorSpecies.of(byte.class, VectorShape.forBitSize(I.vectorBitSize() / 4));
    /** Shorts that widen to one int vector (16 shorts for 512-bit ints). */
    public static final VectorSpecies<Short> S_FOR_I = VectorSpecies.of(short.class, VectorShape.forBitSize(I.vectorBitSize() / 2));

    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    /** Shuffles that fold the upper half of the live lanes onto the lower half: len/2, len/4, ..., 1. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] FOLDS = buildFolds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] buildFolds() {
        int n = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] folds = new VectorShuffle[n];
        for (int k = 0, half = F.length() / 2; half >= 1; k++, half /= 2) folds[k] = VectorShuffle.iota(F, half, 1, true);
        return folds;
    }

    /**
     * The sum of the lanes in a fixed pairwise order. {@code reduceLanes(ADD)} may add floats in a
     * different order once the JIT compiles it, so the same input would give different bits before
     * and after warm-up; this fold gives the same bits everywhere, which keeps seeded generation
     * reproducible and batched results equal to single ones.
     */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> s : FOLDS) v = v.add(v.rearrange(s));
        return v.lane(0);
    }

    /** Reads an fp16 value at a byte offset. */
    public static float f16(java.lang.foreign.MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(SHORT, offset));
    }
}
