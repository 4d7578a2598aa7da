package dev.edgebox.engine.tensor;

/**
 * The searches ggml's reference quantizers use to fit a scale (and a min) to a group of floats:
 * make_qx_quants, make_q3_quants and make_qkx2_quants. Every float operation is done in the same
 * order as ggml's portable C (no fused multiply-adds), so the bytes written match llama-quantize's.
 */
final class QuantFit {
    private QuantFit() {}

    /** ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this is all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;

    /**
     * ggml's nearest_int: round half to even by adding 1.5 * 2^23 and reading the mantissa. Kept as
     * the bit trick (not Math.rint) so that even out-of-range inputs give ggml's answer.
     */
    static int nearestInt(float v) {
        return (Float.floatToRawIntBits(v + 12582912f) & 0x007fffff) - 0x00400000;
    }

    /** C's roundf: half away from zero. */
    static int roundAway(float v) {
        return v < 0 ? -Math.round(-v) : Math.round(v);
    }

    /** fp32 to fp16 bits with round to nearest even, as ggml's GGML_FP32_TO_FP16. */
    static short toHalf(float v) {
        return Float.floatToFloat16(v);
    }

    /** fp16 bits to fp32 and back: the value a stored fp16 field decodes to. */
    static float half(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    /**
     * make_qx_quants without importance weights: symmetric quants in [-nmax, nmax-1] stored as
     * l + nmax in {@code L[lOff..]}; returns the scale. rmseType 1 weights errors by x^2.
     */
    static float makeQx(int n, int nmax, float[] x, int xOff, byte[] L, int lOff, int rmseType) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lOff + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        if (rmseType == 0) {
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * x[xOff + i]);
                L[lOff + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, l)));
            }
            return 1 / iscale;
        }
        boolean returnEarly = false;
        if (rmseType < 0) {
            rmseType = -rmseType;
            returnEarly = true;
        }
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lOff + i] = (byte) (l + nmax);
            float w = rmseWeight(rmseType, xi);
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0f;
        if (returnEarly) return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int l = nearestInt(iscale * xi);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                float w = rmseWeight(rmseType, xi);
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int l = nearestInt(iscale * x[xOff + i]);
                    L[lOff + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, l)));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static float rmseWeight(int rmseType, float x) {
        return switch (rmseType) {
            case 1 -> x * x;
            case 2 -> 1;
            case 3 -> Math.abs(x);
            default -> (float) Math.sqrt(Math.abs(x));
        };
    }

    /**
     * make_q3_quants: symmetric quants in [-nmax, nmax-1] stored as l + nmax, refined by
     * coordinate descent on an x^2-weighted error when doRmse; returns the scale.
     */
    static float makeQ3(int n, int nmax, float[] x, int xOff, byte[] L, int lOff, boolean doRmse) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lOff + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        if (doRmse) {
            float sumlx = 0, suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int l = nearestInt(iscale * xi);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                L[lOff + i] = (byte) l;
                float w = xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            for (int itry = 0; itry < 5; itry++) {
                int changed = 0;
                for (int i = 0; i < n; i++) {
                    float xi = x[xOff + i];
                    float w = xi * xi;
                    int li = L[lOff + i];
                    float slx = sumlx - w * xi * li;
                    if (slx > 0) {
                        float sl2 = suml2 - w * li * li;
                        int newL = nearestInt(xi * sl2 / slx);
                        newL = Math.max(-nmax, Math.min(nmax - 1, newL));
                        if (newL != li) {
                            slx += w * xi * newL;
                            sl2 += w * newL * newL;
                            if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                                L[lOff + i] = (byte) newL;
                                sumlx = slx;
                                suml2 = sl2;
                                changed++;
                            }
                        }
                    }
                }
                if (changed == 0) break;
            }
            for (int i = 0; i < n; i++) L[lOff + i] += (byte) nmax;
            return suml2 > 0f ? sumlx / suml2 : 0f;
        }
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * x[xOff + i]);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lOff + i] = (byte) (l + nmax);
        }
        return 1 / iscale;
    }

    /**
     * make_qkx2_quants: asymmetric quants in [0, nmax] with a scale and a min (min <= 0), found by
     * trying nstep+1 scales around nmax / (max - min) and solving weighted least squares for each.
     * Returns the scale; stores -min in {@code theMin[minIndex]}.
     */
    static float makeQkx2(int n, int nmax, float[] x, int xOff, float[] weights, byte[] L, int lOff,
                          float[] theMin, int minIndex, byte[] laux, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xOff], max = x[xOff];
        float sumW = weights[0];
        float sumX = sumW * x[xOff];
        for (int i = 1; i < n; i++) {
            float xi = x[xOff + i];
            if (xi < min) min = xi;
            if (xi > max) max = xi;
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) L[lOff + i] = 0;
            theMin[minIndex] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * (x[xOff + i] - min));
            int li = Math.max(0, Math.min(nmax, l));
            L[lOff + i] = (byte) li;
            float diff = scale * li + min - x[xOff + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[minIndex] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * (x[xOff + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                laux[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xOff + i];
            }
            float D = sumW * sumL2 - sumL * sumL;
            if (D > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / D;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xOff + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, L, lOff, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[minIndex] = -min;
        return scale;
    }
}
