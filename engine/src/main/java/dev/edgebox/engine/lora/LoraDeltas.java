package dev.edgebox.engine.lora;

import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.ModelConfig;
import dev.edgebox.engine.tensor.Parallel;
import dev.edgebox.engine.tensor.Simd;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The decoder's LoRA step: after a projection's shared mat-mul over the whole batch, adds
 * {@code scale * B (A x)} to the output rows of the entries that use adapters. Entries that use
 * the same adapter are handled as one group, so A and B are read once per group, not per entry.
 *
 * <p>Stacked adapters are applied slot by slot (every entry's first adapter, then every entry's
 * second, ...) and each output element is computed by one thread with the same code whatever the
 * batch holds, so a request gets bit-identical results alone or in any mixed batch. Scratch is
 * reused; nothing is allocated per call once the largest rank has been seen.
 */
public final class LoraDeltas {
    private static final int MIN_JOB_MACS = 1 << 15;
    private final ModelConfig config;
    private final Parallel pool;
    private final int[] members;
    private final float[] memberScales;
    private final boolean[] done;
    private float[] down = new float[0]; // [member x rank]: A x per member

    // The group being applied, read by the two range bodies.
    private LoraPair pair;
    private float[] in, out;
    private int count;
    private final Parallel.RangeBody projectDown = this::projectDown;
    private final Parallel.RangeBody projectUp = this::projectUp;

    public LoraDeltas(ModelConfig config, Parallel pool, int maxBatch) {
        this.config = config;
        this.pool = pool;
        this.members = new int[maxBatch];
        this.memberScales = new float[maxBatch];
        this.done = new boolean[maxBatch];
    }

    /**
     * For every batch entry i with adapters: {@code out[i] += sum over its adapters of scale * B (A in[i])}
     * for this layer's projection. in and out hold one row per entry of the projection's input and
     * output widths.
     */
    public void add(Batch batch, int layer, LoraTarget target, float[] in, float[] out) {
        int n = batch.size();
        int depth = 0;
        for (int i = 0; i < n; i++) {
            AdapterStack s = batch.adapters(i);
            if (s != null) depth = Math.max(depth, s.size());
        }
        this.in = in;
        this.out = out;
        for (int slot = 0; slot < depth; slot++) {
            Arrays.fill(done, 0, n, false);
            for (int i = 0; i < n; i++) {
                if (done[i]) continue;
                AdapterStack s = batch.adapters(i);
                if (s == null || s.size() <= slot) continue;
                LoraAdapter adapter = s.adapter(slot);
                count = 0;
                for (int j = i; j < n; j++) {
                    AdapterStack sj = batch.adapters(j);
                    if (!done[j] && sj != null && sj.size() > slot && sj.adapter(slot) == adapter) {
                        done[j] = true;
                        members[count] = j;
                        memberScales[count] = sj.scale(slot);
                        count++;
                    }
                }
                LoraPair p = adapter.pair(layer, target);
                if (p != null) apply(p, target);
            }
        }
        this.pair = null;
        this.in = this.out = null;
    }

    private void apply(LoraPair p, LoraTarget target) {
        if (p.in() != target.in(config) || p.out() != target.out(config)) {
            throw new IllegalArgumentException("adapter pair " + p.in() + " -> " + p.out() + " does not fit " + target + " of this model");
        }
        pair = p;
        if (down.length < count * p.rank()) down = new float[count * p.rank()];
        // Jobs of at least ~32k multiply-adds: a rank-16 step is tens of microseconds, less than a
        // hand-off to a worker costs when other processes share the cores, so small ones stay here.
        pool.forRange(p.rank(), Math.max(1, MIN_JOB_MACS / (count * p.in())), projectDown);
        pool.forRange(p.out(), Math.max(64, MIN_JOB_MACS / (count * p.rank())), projectUp);
    }

    /** down[g][j] = A row j . in[member g], for ranks [j0, j1). */
    private void projectDown(int j0, int j1) {
        LoraPair p = pair;
        int width = p.in(), rank = p.rank();
        for (int j = j0; j < j1; j++) {
            for (int g = 0; g < count; g++) down[g * rank + j] = dot(p.a(), j * width, in, members[g] * width, width);
        }
    }

    /** out[member g][o] += scale_g * sum_j B[o][j] down[g][j], for outputs [o0, o1), j in order. */
    private void projectUp(int o0, int o1) {
        LoraPair p = pair;
        int width = p.out(), rank = p.rank();
        float[] bt = p.bt();
        for (int g = 0; g < count; g++) {
            float s = memberScales[g] * p.scale();
            int row = members[g] * width, t = g * rank, j = 0;
            for (; j + 4 <= rank; j += 4) {
                axpy4(s * down[t + j], s * down[t + j + 1], s * down[t + j + 2], s * down[t + j + 3],
                        bt, j * width + o0, width, out, row + o0, o1 - o0);
            }
            for (; j < rank; j++) axpy(s * down[t + j], bt, j * width + o0, out, row + o0, o1 - o0);
        }
    }

    static float dot(float[] a, int aOff, float[] x, int xOff, int n) {
        int step = Simd.F.length();
        FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i + 4 * step <= n; i += 4 * step) {
            acc0 = FloatVector.fromArray(Simd.F, a, aOff + i).fma(FloatVector.fromArray(Simd.F, x, xOff + i), acc0);
            acc1 = FloatVector.fromArray(Simd.F, a, aOff + i + step).fma(FloatVector.fromArray(Simd.F, x, xOff + i + step), acc1);
            acc2 = FloatVector.fromArray(Simd.F, a, aOff + i + 2 * step).fma(FloatVector.fromArray(Simd.F, x, xOff + i + 2 * step), acc2);
            acc3 = FloatVector.fromArray(Simd.F, a, aOff + i + 3 * step).fma(FloatVector.fromArray(Simd.F, x, xOff + i + 3 * step), acc3);
        }
        for (; i + step <= n; i += step) {
            acc0 = FloatVector.fromArray(Simd.F, a, aOff + i).fma(FloatVector.fromArray(Simd.F, x, xOff + i), acc0);
        }
        float sum = Simd.sum(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) sum = Math.fma(a[aOff + i], x[xOff + i], sum);
        return sum;
    }

    /**
     * Four {@link #axpy} steps in one pass over y (rows x, x + stride, ...), each element updated by the
     * same chain of fused multiply-adds in the same order, so the result is bit-identical to four calls.
     */
    static void axpy4(float c0, float c1, float c2, float c3, float[] x, int xOff, int stride, float[] y, int yOff, int n) {
        int step = Simd.F.length();
        FloatVector v0 = FloatVector.broadcast(Simd.F, c0), v1 = FloatVector.broadcast(Simd.F, c1);
        FloatVector v2 = FloatVector.broadcast(Simd.F, c2), v3 = FloatVector.broadcast(Simd.F, c3);
        int i = 0;
        for (; i + step <= n; i += step) {
            int xi = xOff + i;
            FloatVector acc = FloatVector.fromArray(Simd.F, y, yOff + i);
            acc = FloatVector.fromArray(Simd.F, x, xi).fma(v0, acc);
            acc = FloatVector.fromArray(Simd.F, x, xi + stride).fma(v1, acc);
            acc = FloatVector.fromArray(Simd.F, x, xi + 2 * stride).fma(v2, acc);
            acc = FloatVector.fromArray(Simd.F, x, xi + 3 * stride).fma(v3, acc);
            acc.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            int xi = xOff + i;
            float acc = y[yOff + i];
            acc = Math.fma(x[xi], c0, acc);
            acc = Math.fma(x[xi + stride], c1, acc);
            acc = Math.fma(x[xi + 2 * stride], c2, acc);
            y[yOff + i] = Math.fma(x[xi + 3 * stride], c3, acc);
        }
    }

    /** y[yOff ..] += c * x[xOff ..] over n elements; fused in vector and tail alike, so chunking never changes a bit. */
    static void axpy(float c, float[] x, int xOff, float[] y, int yOff, int n) {
        int step = Simd.F.length();
        FloatVector cv = FloatVector.broadcast(Simd.F, c);
        int i = 0;
        for (; i + step <= n; i += step) {
            FloatVector.fromArray(Simd.F, x, xOff + i).fma(cv, FloatVector.fromArray(Simd.F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], c, y[yOff + i]);
    }
}
