package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector species and memory layouts shared by the kernels: the preferred width of this CPU, capped
 * at 512 bits (the kernels split 32-element blocks into halves of 16, which must hold whole vectors).
 */
public final class Simd {
    private Simd() {}

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    public static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /**
     * Bytes that widen to one int vector (16 bytes for 512-bit ints). A 128-bit CPU (NEON) would need
     * 4-byte vectors, which do not exist: there the bytes come from the low lanes of a masked 8-byte load.
     */
    static final VectorSpecies<Byte> B_FOR_I = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, I.vectorBitSize() / 4)));
    /** Shorts that widen to one int vector (16 shorts for 512-bit ints). */
    static final VectorSpecies<Short> S_FOR_I = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, I.vectorBitSize() / 2)));
    private static final boolean NARROW = I.vectorBitSize() / 4 < 64;
    private static final VectorMask<Byte> NARROW_MASK = B_FOR_I.indexInRange(0, I.length());

    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private static ByteVector bytes(MemorySegment seg, long off) {
        return NARROW ? ByteVector.fromMemorySegment(B_FOR_I, seg, off, LE, NARROW_MASK) : ByteVector.fromMemorySegment(B_FOR_I, seg, off, LE);
    }

    /** {@code I.length()} signed bytes at off, widened to ints. */
    static IntVector bytesToInts(MemorySegment seg, long off) {
        return (IntVector) bytes(seg, off).convertShape(VectorOperators.B2I, I, 0);
    }

    /** {@code I.length()} unsigned bytes at off, widened to ints (0..255). */
    static IntVector ubytesToInts(MemorySegment seg, long off) {
        return (IntVector) bytes(seg, off).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /** {@code F.length()} signed bytes at off as floats. */
    static FloatVector bytesToFloats(MemorySegment seg, long off) {
        return (FloatVector) bytes(seg, off).convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * The sum of the lanes in a fixed pairwise order: each step adds the upper half of the lanes to
     * the lower half (lane i + lane i + n/2), down to one lane. {@code reduceLanes(ADD)} may add
     * floats in a different order once the JIT compiles it, so the same input would give different
     * bits before and after warm-up; this order gives the same bits everywhere, which keeps seeded
     * generation reproducible and batched results equal to single ones. The halving runs on a
     * scratch copy of the lanes ({@code lanes}, at least {@code F.length()} floats): lane shuffles
     * and shape changes were not always intrinsified, and their fallbacks allocate.
     */
    public static float sum(FloatVector v) {
        return sum(v, LANES.get());
    }

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[F.length()]);

    /** A per-thread scratch for {@link #sum(FloatVector, float[])}, for callers that sum in a loop. */
    public static float[] lanes() {
        return LANES.get();
    }

    /** As {@link #sum(FloatVector)}, with the caller's scratch. */
    public static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        return sumLanes(lanes);
    }

    /**
     * The sum of the F.length() floats at lanes[0 ..] in {@link #sum(FloatVector)}'s order. Kernels
     * store their accumulator and call this rather than pass the vector: when the JIT does not inline
     * a call, a vector argument is boxed on the heap, an array is not.
     */
    static float sumLanes(float[] lanes) {
        return sumLanes(lanes, 0);
    }

    /** As {@link #sumLanes(float[])} for the F.length() floats at lanes[off ..]. */
    static float sumLanes(float[] lanes, int off) {
        // Each halving loads the two halves of the live lanes as narrower vectors and adds them.
        int n = F.length();
        if (n == 16) FloatVector.fromArray(F256, lanes, off).add(FloatVector.fromArray(F256, lanes, off + 8)).intoArray(lanes, off);
        if (n >= 8) FloatVector.fromArray(F128, lanes, off).add(FloatVector.fromArray(F128, lanes, off + 4)).intoArray(lanes, off);
        if (n >= 4) FloatVector.fromArray(F64, lanes, off).add(FloatVector.fromArray(F64, lanes, off + 2)).intoArray(lanes, off);
        return lanes[off] + lanes[off + 1];
    }

    /**
     * 512 bits: the sums of the eight vectors at v[0], v[16], ... v[112], each in
     * {@link #sum(FloatVector, float[])}'s order, into v[0 .. 8). The halvings of all eight run
     * together with two-vector lane permutes: the same additions of the same pairs, so the same bits,
     * for a fraction of the work and without eight store-reload chains through one scratch array.
     * The vectors come through memory because a caller with many vectors in flight (the tile
     * kernels) would hit the JIT's inlining node limit and box them.
     */
    static void sum8(float[] v) {
        sum8(v, 0);
    }

    /** As {@link #sum8(float[])} for the eight vectors at v[off], v[off + 16], ...; the sums go to v[off .. off + 8). */
    static void sum8(float[] v, int off) {
        // Halving 1: lane i + lane i+8 of each vector, two vectors per result.
        FloatVector r01 = halve(FloatVector.fromArray(F, v, off), FloatVector.fromArray(F, v, off + 16), HALF8_LO, HALF8_HI);
        FloatVector r23 = halve(FloatVector.fromArray(F, v, off + 32), FloatVector.fromArray(F, v, off + 48), HALF8_LO, HALF8_HI);
        FloatVector r45 = halve(FloatVector.fromArray(F, v, off + 64), FloatVector.fromArray(F, v, off + 80), HALF8_LO, HALF8_HI);
        FloatVector r67 = halve(FloatVector.fromArray(F, v, off + 96), FloatVector.fromArray(F, v, off + 112), HALF8_LO, HALF8_HI);
        // Halving 2: lane i + lane i+4 within each group of 8; then 3: i + i+2 within groups of 4.
        FloatVector p = halve(halve(r01, r23, HALF4_LO, HALF4_HI), halve(r45, r67, HALF4_LO, HALF4_HI), HALF2_LO, HALF2_HI);
        // Last: the two lanes of each group, vector k's sum in lane k.
        halve(p, p, HALF1_LO, HALF1_HI).intoArray(v, off);
    }

    /**
     * 512 bits: the sums of the sixteen vectors at v[0], v[16], ... v[240], each in
     * {@link #sum(FloatVector, float[])}'s order, into v[0 .. 16): the halvings of {@link #sum8}
     * for sixteen vectors (15 of them), as a loop with one halving in its body, in place (each
     * result goes where an input already read was). Straight-line, the two {@code sum8}s of the 4x4
     * prefill kernel passed the JIT's inlining node budget in the tile loop that inlines them
     * (-XX:+PrintInlining: "NodeCountInliningCutoff" on the last halvings), and every 4x4 block
     * then allocated its vectors (~1 GB/s of garbage, a young collection every few ms); a loop body
     * costs its nodes once.
     */
    static void sum16(float[] v) {
        int level = 0;
        for (int n = 16; n > 1; n >>= 1, level++) {
            FloatVector lo = FloatVector.fromArray(F, HALVINGS, 32 * level), hi = FloatVector.fromArray(F, HALVINGS, 32 * level + 16);
            for (int j = 0; j < n / 2; j++) {
                FloatVector a = FloatVector.fromArray(F, v, 32 * j), b = FloatVector.fromArray(F, v, 32 * j + 16);
                lo.selectFrom(a, b).add(hi.selectFrom(a, b)).intoArray(v, 16 * j);
            }
        }
    }

    /** The lane picks of sum16's four levels, first half then second half: groups of 16, 8, 4, 2 lanes. */
    private static final float[] HALVINGS = halvings();

    private static float[] halvings() {
        float[] all = new float[4 * 32];
        if (F.length() != 16) return all;
        int level = 0;
        for (int group = 16; group >= 2; group /= 2, level++) {
            halves(group, false).intoArray(all, 32 * level);
            halves(group, true).intoArray(all, 32 * level + 16);
        }
        return all;
    }

    /** The lanes picked from (a, b) (indexes 0-15 from a, 16-31 from b) by lo, plus those picked by hi. */
    private static FloatVector halve(FloatVector a, FloatVector b, FloatVector lo, FloatVector hi) {
        return lo.selectFrom(a, b).add(hi.selectFrom(a, b));
    }

    /** For groups of n lanes: the first (or second) half of each group of (a, b), packed. */
    private static FloatVector halves(int group, boolean high) {
        float[] idx = new float[16];
        int half = group / 2;
        for (int k = 0; k < 16; k++) idx[k] = (k / half) * group + k % half + (high ? half : 0);
        return FloatVector.fromArray(FloatVector.SPECIES_512, idx, 0);
    }

    private static final boolean WIDE = F.length() == 16;
    private static final FloatVector HALF8_LO = WIDE ? halves(16, false) : null, HALF8_HI = WIDE ? halves(16, true) : null;
    private static final FloatVector HALF4_LO = WIDE ? halves(8, false) : null, HALF4_HI = WIDE ? halves(8, true) : null;
    private static final FloatVector HALF2_LO = WIDE ? halves(4, false) : null, HALF2_HI = WIDE ? halves(4, true) : null;
    private static final FloatVector HALF1_LO = WIDE ? halves(2, false) : null, HALF1_HI = WIDE ? halves(2, true) : null;

    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256, F128 = FloatVector.SPECIES_128, F64 = FloatVector.SPECIES_64;

    private static final float TWO_POW_112 = 0x1p112f;

    /** {@code I.length()} fp16 values at a[off ..] as floats, exactly (infinities and NaNs too). */
    public static FloatVector halvesToFloats(short[] a, int off) {
        IntVector h = (IntVector) jdk.incubator.vector.ShortVector.fromArray(S_FOR_I, a, off).convertShape(VectorOperators.S2I, I, 0);
        // Exponent and mantissa moved up 13 bits are the float 2^112 times too small (exact for normal
        // and subnormal halves); an all-ones exponent (inf, NaN) maps to the float's all-ones exponent.
        FloatVector finite = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats().mul(TWO_POW_112);
        VectorMask<Integer> special = h.and(0x7C00).compare(VectorOperators.EQ, 0x7C00);
        IntVector inf = h.lanewise(VectorOperators.LSHL, 13).and(0x807FE000).or(0x7F800000);
        return finite.blend(inf.reinterpretAsFloats(), special.cast(F));
    }

    /**
     * The fp16 value at byte offset off, in every lane: a scalar conversion (F16C's vcvtph2ps, the
     * JIT's intrinsic for {@link Float#float16ToFloat}) and one broadcast. A block scale costs a few
     * narrow operations this way; converting in 512-bit lanes (broadcast the bits, shift, mask,
     * multiply) cost four full-width operations, and on Zen 4, which runs 512-bit operations as two
     * 256-bit halves, that was a fifth of a Q8_0 block's work.
     */
    static FloatVector halfScale(MemorySegment seg, long off) {
        return FloatVector.broadcast(F, f16(seg, off));
    }

    /** Reads an fp16 value at a byte offset. */
    public static float f16(MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(SHORT, offset));
    }
}
