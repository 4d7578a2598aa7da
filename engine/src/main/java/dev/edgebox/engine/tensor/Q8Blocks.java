package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.F;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation blocks quantized as ggml quantizes them (quantize_row_q8_0 / q8_1 on x86, and
 * quantize_row_q8_K_ref), a vector at a time: the same float operations on each element as the
 * scalar definitions, so the same bits, but no longer ~8 ns an element (a decode step converts
 * ~180k elements per token, a batch of eight streams eight times that). Each block writes its int8
 * values q, the scale d, and, where the format has them, d * q (dq),
 * the scaled sum s (Q8_1) and the sums per 16 (Q8_K).
 */
final class Q8Blocks {
    private Q8Blocks() {}

    /** Byte vectors of F.length() lanes (64 bits and more): the conversion target of one float vector. */
    private static final boolean VECTOR = F.length() >= 8 && 32 % F.length() == 0;
    private static final VectorSpecies<Byte> B = VECTOR ? VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8)) : null;
    /**
     * Adding and subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer, half
     * to even: exactly Math.rint's result, in float lanes.
     */
    private static final float ROUND = 0x1.8p23f;

    /** Q8_0 (or Q8_1 withSum) block b from x[off .. off + 32): d = fp16(amax / 127), q = rint(x * 127 / amax). */
    static void q8_0(float[] x, int off, int b, boolean withSum, Activations a) {
        if (!VECTOR) {
            q8_0Scalar(x, off, b, withSum, a);
            return;
        }
        FloatVector m = FloatVector.zero(F);
        for (int j = 0; j < 32; j += F.length()) m = m.max(FloatVector.fromArray(F, x, off + j).abs());
        float amax = m.reduceLanes(VectorOperators.MAX);
        float dd = amax / 127f;
        float id = amax != 0 ? 127f / amax : 0f;
        float d = Float.float16ToFloat(Float.floatToFloat16(dd));
        int base = 32 * b;
        FloatVector sum = FloatVector.zero(F);
        for (int j = 0; j < 32; j += F.length()) {
            // rint below 2^22 as an add and subtract of 1.5 * 2^23, clamped to the int8 range (NaN and
            // infinities, garbage in, convert alike in compiled and interpreted code); written out
            // here, not in a helper taking vectors: when the JIT did not inline one (a big caller),
            // it ran as the API's allocating Java fallback for the rest of the run.
            FloatVector r = FloatVector.fromArray(F, x, off + j).mul(id).add(ROUND).sub(ROUND).max(-128f).min(127f);
            ((ByteVector) r.convertShape(VectorOperators.F2B, B, 0)).intoArray(a.q, base + j);
            if (!withSum) r.mul(d).intoArray(a.dq, base + j);
            sum = sum.add(r);
        }
        a.d[b] = d;
        // Integer lanes below 2^24: any order of adding them is exact.
        if (withSum) a.s[b] = Float.float16ToFloat(Float.floatToFloat16(dd * (int) sum.reduceLanes(VectorOperators.ADD)));
    }

    /** Q8_K block b from x[off .. off + 256): iscale = -127 / max (the signed value of largest magnitude, first of equals), q = min(127, rint(iscale * x)). */
    static void q8_K(float[] x, int off, int b, Activations a) {
        if (!VECTOR) {
            q8_KScalar(x, off, b, a);
            return;
        }
        int base = 256 * b;
        FloatVector m = FloatVector.zero(F);
        for (int j = 0; j < 256; j += F.length()) m = m.max(FloatVector.fromArray(F, x, off + j).abs());
        float amax = m.reduceLanes(VectorOperators.MAX);
        if (amax == 0) {
            zeroK(base, b, a);
            return;
        }
        int first = 0;
        while (Math.abs(x[off + first]) != amax) first++;
        float iscale = -127f / x[off + first], d = 1 / iscale;
        for (int g = 0; g < 16; g++) {
            FloatVector sum = FloatVector.zero(F);
            for (int j = 16 * g; j < 16 * g + 16; j += F.length()) {
                FloatVector r = FloatVector.fromArray(F, x, off + j).mul(iscale).add(ROUND).sub(ROUND).max(-128f).min(127f);
                ((ByteVector) r.convertShape(VectorOperators.F2B, B, 0)).intoArray(a.q, base + j);
                r.mul(d).intoArray(a.dq, base + j);
                sum = sum.add(r);
            }
            a.bsums[16 * b + g] = (short) (int) sum.reduceLanes(VectorOperators.ADD);
        }
        a.d[b] = d;
    }

    private static void zeroK(int base, int b, Activations a) {
        a.d[b] = 0;
        Arrays.fill(a.q, base, base + 256, (byte) 0);
        Arrays.fill(a.dq, base, base + 256, 0f);
        Arrays.fill(a.bsums, 16 * b, 16 * b + 16, (short) 0);
    }

    // The scalar definitions: for CPUs whose vectors are narrower than 256 bits, and what the tests hold the vector code to.

    static void q8_0Scalar(float[] x, int off, int b, boolean withSum, Activations a) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float dd = amax / 127f;
        float id = amax != 0 ? 127f / amax : 0f;
        float d = Float.float16ToFloat(Float.floatToFloat16(dd));
        int sum = 0, base = 32 * b;
        for (int j = 0; j < 32; j++) {
            int v = (int) Math.rint(x[off + j] * id);
            a.q[base + j] = (byte) v;
            if (!withSum) a.dq[base + j] = d * (byte) v;
            sum += v;
        }
        a.d[b] = d;
        if (withSum) a.s[b] = Float.float16ToFloat(Float.floatToFloat16(dd * sum));
    }

    static void q8_KScalar(float[] x, int off, int b, Activations a) {
        float max = 0, amax = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[off + j]);
            if (ax > amax) {
                amax = ax;
                max = x[off + j];
            }
        }
        int base = 256 * b;
        if (amax == 0) {
            zeroK(base, b, a);
            return;
        }
        float iscale = -127f / max, d = 1 / iscale;
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int j = 16 * g; j < 16 * g + 16; j++) {
                byte v = (byte) Math.min(127, (int) Math.rint(iscale * x[off + j]));
                a.q[base + j] = v;
                a.dq[base + j] = d * v;
                sum += v;
            }
            a.bsums[16 * b + g] = (short) sum;
        }
        a.d[b] = d;
    }
}
