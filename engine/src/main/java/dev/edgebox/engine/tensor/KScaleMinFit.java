package dev.edgebox.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The shared first half of quantize_row_q4_K_ref and quantize_row_q5_K_ref: per 32 weights a scale
 * and a min from make_qkx2_quants (weights av|x| + |x|), both quantized to 6 bits against their
 * largest value, then every weight re-quantized against the stored (fp16-rounded) scales.
 * The caller packs the quants.
 */
final class KScaleMinFit {
    private final int nmax;
    private final float rmin;
    private final int nstep;
    private final float[] weights = new float[32];
    private final byte[] laux = new byte[32];
    private final float[] scales = new float[8];
    private final float[] mins = new float[8];
    private final int[] ls = new int[8];
    private final int[] lm = new int[8];
    private final byte[] packed = new byte[12];
    /** The quants of the last super-block, 0..nmax. */
    final byte[] L = new byte[256];

    KScaleMinFit(int nmax, float rmin, int nstep) {
        this.nmax = nmax;
        this.rmin = rmin;
        this.nstep = nstep;
    }

    /** Fits 256 floats at x[xOff..]; writes d, dmin and the 12 scale bytes at dst[off..off+16) and the quants to {@link #L}. */
    void fit(float[] x, int xOff, MemorySegment dst, long off) {
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            int g = xOff + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[g + l] * x[g + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[g + l]);
            scales[j] = QuantFit.makeQkx2(32, nmax, x, g, weights, L, 32 * j, mins, j, laux, rmin, 0.1f, nstep, false);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, QuantFit.nearestInt(invScale * scales[j]) & 0xff);
            lm[j] = Math.min(63, QuantFit.nearestInt(invMin * mins[j]) & 0xff);
        }
        KScales.pack(ls, lm, packed);
        short dBits = QuantFit.toHalf(maxScale / 63.f), dminBits = QuantFit.toHalf(maxMin / 63.f);
        dst.set(Simd.SHORT, off, dBits);
        dst.set(Simd.SHORT, off + 2, dminBits);
        MemorySegment.copy(packed, 0, dst, Simd.BYTE, off + 4, 12);
        float dStored = Float.float16ToFloat(dBits), dminStored = Float.float16ToFloat(dminBits);
        for (int j = 0; j < 8; j++) {
            float d = dStored * ls[j];
            if (d == 0) continue;
            float dm = dminStored * lm[j];
            for (int ii = 0; ii < 32; ii++) {
                int l = QuantFit.nearestInt((x[xOff + 32 * j + ii] + dm) / d);
                L[32 * j + ii] = (byte) Math.max(0, Math.min(nmax, l));
            }
        }
    }
}
