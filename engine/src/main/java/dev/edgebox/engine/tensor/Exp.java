package dev.edgebox.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x in float lanes, within 1 ulp of the correctly rounded value (measured: ExpTest):
 * n = rint(x / ln 2), r = x - n ln 2 in two steps (Cody and Waite), e^r by its Taylor series to r^7
 * (|r| <= ln 2 / 2, so the first term left out is below 6e-9), times 2^n built in the exponent bits.
 * {@link #exp(float)} runs the same float operations on one value, so a lane and a scalar give the
 * same bits: results do not depend on where {@link #expShifted}'s vector part ends. Math.exp costs
 * ~16 ns here (a call per element); this is a few lane operations. Below -87.3 (where e^x leaves the normal floats) the result is 0, so e^-inf = 0;
 * inputs above 88 are taken as 88 (e^88 ~ 1.7e38, the largest power it reaches without overflow).
 */
public final class Exp {
    private Exp() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final float LOW = -87.3f, HIGH = 88f;
    private static final float LOG2E = 1.44269504f, ROUND = 0x1.8p23f;
    /** ln 2 as a short high part (n * LN2_HI is exact) and the rest. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /**
     * x[i] = e^(x[i] - shift) for i in [from, from + n), a vector at a time, then the scalar twin for
     * the rest. The lane code is written out here, not in a helper: a helper taking and returning
     * vectors is compiled on its own once it is hot, and the JIT then declines to inline it into its
     * callers ("already compiled into a medium method"), which boxes every vector passed (seen in
     * the softmax); a loop over arrays passes none.
     */
    public static void expShifted(float[] x, int from, int n, float shift) {
        int i = from, end = from + n;
        for (; i + F.length() <= end; i += F.length()) {
            FloatVector in = FloatVector.fromArray(F, x, i).sub(shift);
            FloatVector v = in.max(LOW).min(HIGH);
            FloatVector k = v.mul(LOG2E).add(ROUND).sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), v);
            r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(C7, C6);
            p = p.fma(r, FloatVector.broadcast(F, C5));
            p = p.fma(r, FloatVector.broadcast(F, C4));
            p = p.fma(r, FloatVector.broadcast(F, C3));
            p = p.fma(r, FloatVector.broadcast(F, C2));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
            p.mul(bits.reinterpretAsFloats()).blend(0f, in.compare(VectorOperators.LT, LOW)).intoArray(x, i);
        }
        for (; i < end; i++) x[i] = exp(x[i] - shift);
    }

    public static float exp(float in) {
        if (in < LOW) return 0f;
        float x = Math.min(Math.max(in, LOW), HIGH);
        float n = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
