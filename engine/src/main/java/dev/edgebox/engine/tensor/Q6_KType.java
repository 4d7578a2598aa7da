package dev.edgebox.engine.tensor;

import static dev.edgebox.engine.tensor.Simd.BYTE;
import static dev.edgebox.engine.tensor.Simd.F;
import static dev.edgebox.engine.tensor.Simd.I;
import static dev.edgebox.engine.tensor.Simd.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K: super-blocks of 256 weights: 128 bytes ql of low nibbles, 64 bytes qh of 2-bit tops, 16
 * signed 8-bit scales (one per 16 weights) and an fp16 d. Each half of 128 weights uses 64 ql bytes
 * and 32 qh bytes: for l < 32, weights l, l+32, l+64, l+96 are the low nibble of ql[l], of ql[l+32],
 * the high nibble of ql[l], of ql[l+32], topped by bits 0-1, 2-3, 4-5, 6-7 of qh[l].
 * weight = d * sc * (q - 32). Activations are Q8_K; the kernels multiply decoded weights with their d * q.
 */
final class Q6_KType extends DecodingType {
    static final int QK = 256;
    static final int BLOCK_BYTES = 210;
    private static final int QH = 128, SC = 192, D = 208;

    @Override
    public GgmlType ggml() {
        return GgmlType.Q6_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    @Override
    public void dequantize(MemorySegment data, long firstElement, float[] dst, int dstOffset, int count) {
        long block = firstElement / QK;
        for (int b = 0; b < count / QK; b++) {
            long off = (block + b) * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(SHORT, off + D));
            for (int n = 0; n < 2; n++) {
                int o = dstOffset + b * QK + 128 * n;
                for (int l = 0; l < 32; l++) {
                    int is = 8 * n + l / 16;
                    int a = data.get(BYTE, off + 64 * n + l) & 0xff;
                    int c = data.get(BYTE, off + 64 * n + 32 + l) & 0xff;
                    int h = data.get(BYTE, off + QH + 32 * n + l) & 0xff;
                    dst[o + l] = d * data.get(BYTE, off + SC + is) * (((a & 0xf) | ((h & 3) << 4)) - 32);
                    dst[o + l + 32] = d * data.get(BYTE, off + SC + is + 2) * (((c & 0xf) | (((h >> 2) & 3) << 4)) - 32);
                    dst[o + l + 64] = d * data.get(BYTE, off + SC + is + 4) * (((a >> 4) | (((h >> 4) & 3) << 4)) - 32);
                    dst[o + l + 96] = d * data.get(BYTE, off + SC + is + 6) * (((c >> 4) | (((h >> 6) & 3) << 4)) - 32);
                }
            }
        }
    }

    /** quantize_row_q6_K_ref: make_qx_quants (x^2-weighted) per 16 weights, scales as int8 against the largest. */
    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstByteOffset) {
        byte[] L = new byte[QK];
        float[] scales = new float[16];
        for (int b = 0; b < count / QK; b++) {
            int x = srcOffset + b * QK;
            long out = dstByteOffset + (long) b * BLOCK_BYTES;
            float maxScale = 0, maxAbsScale = 0;
            for (int ib = 0; ib < 16; ib++) {
                float scale = QuantFit.makeQx(16, 32, src, x + 16 * ib, L, 16 * ib, 1);
                scales[ib] = scale;
                if (Math.abs(scale) > maxAbsScale) {
                    maxAbsScale = Math.abs(scale);
                    maxScale = scale;
                }
            }
            if (maxAbsScale < QuantFit.GROUP_MAX_EPS) {
                dst.asSlice(out, BLOCK_BYTES).fill((byte) 0);
                continue;
            }
            float iscale = -128.f / maxScale;
            short dBits = QuantFit.toHalf(1 / iscale);
            dst.set(SHORT, out + D, dBits);
            for (int ib = 0; ib < 16; ib++) dst.set(BYTE, out + SC + ib, (byte) Math.min(127, QuantFit.nearestInt(iscale * scales[ib])));
            float dStored = Float.float16ToFloat(dBits);
            for (int j = 0; j < 16; j++) {
                float d = dStored * dst.get(BYTE, out + SC + j);
                if (d == 0) continue;
                for (int ii = 0; ii < 16; ii++) {
                    int l = QuantFit.nearestInt(src[x + 16 * j + ii] / d);
                    L[16 * j + ii] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
                }
            }
            for (int n = 0; n < 2; n++) {
                int j = 128 * n;
                for (int l = 0; l < 32; l++) {
                    int q1 = L[j + l] & 0xf, q2 = L[j + l + 32] & 0xf, q3 = L[j + l + 64] & 0xf, q4 = L[j + l + 96] & 0xf;
                    dst.set(BYTE, out + 64 * n + l, (byte) (q1 | (q3 << 4)));
                    dst.set(BYTE, out + 64 * n + 32 + l, (byte) (q2 | (q4 << 4)));
                    dst.set(BYTE, out + QH + 32 * n + l, (byte) ((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2)
                            | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6)));
                }
            }
        }
    }

    @Override
    float[] values(Activations x) {
        return x.dq;
    }

    /** The factors of one super-block: a[k] = d * sc[k] for its 16 sub-blocks, and b[k] = -32 * a[k]. */
    private static void factors(MemorySegment w, long off, RowScratch s) {
        float d = Float.float16ToFloat(w.get(SHORT, off + D));
        for (int k = 0; k < 16; k += F.length()) {
            FloatVector a = Simd.bytesToFloats(w, off + SC + k).mul(d);
            a.intoArray(s.subA, k);
            a.mul(-32f).intoArray(s.subB, k);
        }
    }

    /**
     * The 6-bit values of group k (0..3) of a half, lanes l .. l + I.length() (l < 32): the low or high
     * nibble of ql[l] or ql[l + 32], topped by bits 2k, 2k+1 of qh[l]; (q - 32) * d * sc by one FMA.
     */
    private static FloatVector decode(MemorySegment w, long ql, long qh, int k, int l, float a, float b) {
        IntVector low = Simd.ubytesToInts(w, ql + (k & 1) * 32 + l);
        low = k < 2 ? low.and(0xf) : low.lanewise(VectorOperators.LSHR, 4);
        IntVector h = Simd.ubytesToInts(w, qh + l);
        IntVector top = k < 3 ? h.lanewise(VectorOperators.LSHL, 4 - 2 * k).and(0x30) : h.lanewise(VectorOperators.LSHR, 2).and(0x30);
        return ((FloatVector) low.or(top).convert(VectorOperators.I2F, 0)).fma(a, b);
    }

    @Override
    float dot(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        return F.length() == 16 ? dot16(w, rowOff, cols, x, xOff, s) : dotAnyWidth(w, rowOff, cols, x, xOff, s);
    }

    /**
     * 512 bits, a half super-block (128 weights) per pass: the 16 bytes of ql[l], ql[l + 32] and qh[l]
     * are loaded once for all four groups they feed (l < 16 for the first halves of the groups, into
     * a0; l >= 16 for the second halves, into a1: {@link FloatDot}'s order), where decoding a group at
     * a time loaded qh four times and ql twice. The first half of each super-block first computes its
     * factors (a = d * sc for the 16 sub-blocks at s.factors[0 ..], b = -32 a at [16 ..]): in the
     * loop, its scale bytes arrive with the rest of the super-block, where a separate pass over the
     * row's scales before the dot ({@link DecodingType#prepare}) waited for memory on its own
     * (1.15-1.24x streamed from the mapped file, 1.16x in cache). One row a call: two rows in one
     * loop ({@link DecodingType#dot2}) passed the JIT's node budget in every form tried.
     */
    private static float dot16(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        float[] f = s.factors;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int h = 0; h < cols / 128; h++) {
            int n = h & 1, fo = 8 * n, xo = xOff + 128 * h;
            long sb = rowOff + (long) (h >> 1) * BLOCK_BYTES, ql = sb + 64 * n, qh = sb + QH + 32 * n;
            if (n == 0) { // factors(w, sb, s) written out: its loop over the lanes, inlined here, ran 0.8-0.9x
                FloatVector a = Simd.bytesToFloats(w, sb + SC).mul(Float.float16ToFloat(w.get(SHORT, sb + D)));
                a.intoArray(f, 0);
                a.mul(-32f).intoArray(f, 16);
            }
            IntVector l0 = Simd.ubytesToInts(w, ql), m0 = Simd.ubytesToInts(w, ql + 32), h0 = Simd.ubytesToInts(w, qh);
            IntVector l1 = Simd.ubytesToInts(w, ql + 16), m1 = Simd.ubytesToInts(w, ql + 48), h1 = Simd.ubytesToInts(w, qh + 16);
            // Group k of the half: the low nibbles of ql[l] (k 0), of ql[l + 32] (1), the high nibbles (2, 3), topped by bits 2k, 2k+1 of qh[l].
            IntVector q = l0.and(0xf).or(h0.lanewise(VectorOperators.LSHL, 4).and(0x30));
            a0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo], f[fo + 16]).fma(FloatVector.fromArray(F, x, xo), a0);
            q = l1.and(0xf).or(h1.lanewise(VectorOperators.LSHL, 4).and(0x30));
            a1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 1], f[fo + 17]).fma(FloatVector.fromArray(F, x, xo + 16), a1);
            q = m0.and(0xf).or(h0.lanewise(VectorOperators.LSHL, 2).and(0x30));
            a0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 2], f[fo + 18]).fma(FloatVector.fromArray(F, x, xo + 32), a0);
            q = m1.and(0xf).or(h1.lanewise(VectorOperators.LSHL, 2).and(0x30));
            a1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 3], f[fo + 19]).fma(FloatVector.fromArray(F, x, xo + 48), a1);
            q = l0.lanewise(VectorOperators.LSHR, 4).or(h0.and(0x30));
            a0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 4], f[fo + 20]).fma(FloatVector.fromArray(F, x, xo + 64), a0);
            q = l1.lanewise(VectorOperators.LSHR, 4).or(h1.and(0x30));
            a1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 5], f[fo + 21]).fma(FloatVector.fromArray(F, x, xo + 80), a1);
            q = m0.lanewise(VectorOperators.LSHR, 4).or(h0.lanewise(VectorOperators.LSHR, 2).and(0x30));
            a0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 6], f[fo + 22]).fma(FloatVector.fromArray(F, x, xo + 96), a0);
            q = m1.lanewise(VectorOperators.LSHR, 4).or(h1.lanewise(VectorOperators.LSHR, 2).and(0x30));
            a1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(f[fo + 7], f[fo + 23]).fma(FloatVector.fromArray(F, x, xo + 112), a1);
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    private static float dotAnyWidth(MemorySegment w, long rowOff, int cols, float[] x, int xOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            factors(w, off, s);
            for (int n = 0; n < 2; n++) {
                long ql = off + 64 * n, qh = off + QH + 32 * n;
                int xn = xOff + b * QK + 128 * n;
                for (int k = 0; k < 4; k++) {
                    int is = 8 * n + 2 * k;
                    for (int j = 0; j < 16; j += step) {
                        a0 = decode(w, ql, qh, k, j, sa[is], sb[is]).fma(FloatVector.fromArray(F, x, xn + 32 * k + j), a0);
                        a1 = decode(w, ql, qh, k, 16 + j, sa[is + 1], sb[is + 1]).fma(FloatVector.fromArray(F, x, xn + 32 * k + 16 + j), a1);
                    }
                }
            }
        }
        a0.add(a1).intoArray(s.lanes, 0);
        return Simd.sumLanes(s.lanes);
    }

    @Override
    void decodeRow(MemorySegment w, long rowOff, int cols, float[] dst, int dstOff, RowScratch s) {
        int nb = cols / QK, step = I.length();
        float[] sa = s.subA, sb = s.subB;
        for (int b = 0; b < nb; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            factors(w, off, s);
            for (int n = 0; n < 2; n++) {
                long ql = off + 64 * n, qh = off + QH + 32 * n;
                int o = b * QK + 128 * n;
                for (int k = 0; k < 4; k++) {
                    int is = 8 * n + 2 * k;
                    for (int l = 0; l < 32; l += step) decode(w, ql, qh, k, l, sa[is + l / 16], sb[is + l / 16]).intoArray(dst, dstOff + o + 32 * k + l);
                }
            }
        }
    }
}
