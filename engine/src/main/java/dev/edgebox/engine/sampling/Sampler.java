package dev.edgebox.engine.sampling;

import static dev.edgebox.engine.tensor.Simd.F;

import dev.edgebox.engine.util.LongHeap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Chooses the next token: logit processors first (penalties, grammar), then greedy argmax or, with
 * a temperature, top-k, top-p and min-p filtering (in llama.cpp's order), temperature, and a draw
 * from a seeded generator, so the same seed gives the same output. Buffers are reused per token.
 */
public final class Sampler {
    private final SamplingParams params;
    private final List<LogitProcessor> processors = new ArrayList<>();
    private final SplittableRandom random;
    private final long seed;
    private int[] ids = new int[0];
    private float[] vals = new float[0];
    private long[] packed = new long[0];
    private float[] row = new float[0];

    public Sampler(SamplingParams params) {
        this.params = params;
        this.seed = params.seed() >= 0 ? params.seed() : new SplittableRandom().nextLong() >>> 1;
        this.random = new SplittableRandom(seed);
        if (params.hasPenalties()) processors.add(new Penalties(params));
    }

    /** The seed in use (chosen at random when the params asked for -1). */
    public long seed() {
        return seed;
    }

    public Sampler addProcessor(LogitProcessor p) {
        processors.add(p);
        return this;
    }

    /**
     * Picks a token from logits[offset .. offset + vocab); the logits may be changed. Constraints
     * (grammars) are checked against the token drawn without them, and their masks are computed
     * only when it is not allowed; see {@link TokenConstraint}.
     */
    public int sample(float[] logits, int offset, int vocab, TokenHistory history) {
        float[] l = logits;
        if (offset != 0 || logits.length != vocab) {
            // One row of a batch: copied into a buffer of this sampler's, reused for every token
            // (a fresh 600 KB array per token per stream kept the collector busy under load).
            if (row.length != vocab) row = new float[vocab];
            System.arraycopy(logits, offset, row, 0, vocab);
            l = row;
        }
        for (LogitProcessor p : processors) if (!(p instanceof TokenConstraint)) p.process(l, history);
        int token = pick(l);
        if (!allowed(token)) {
            for (LogitProcessor p : processors) if (p instanceof TokenConstraint) p.process(l, history);
            token = pick(l);
        }
        for (LogitProcessor p : processors) p.accept(token);
        return token;
    }

    private int pick(float[] l) {
        return params.greedy() ? argmax(l) : draw(l);
    }

    private boolean allowed(int token) {
        for (LogitProcessor p : processors) if (p instanceof TokenConstraint c && !c.allows(token)) return false;
        return true;
    }

    static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
        return best;
    }

    private int draw(float[] l) {
        int n = candidates(l);
        // Softmax over candidates sorted by logit, for top-p and min-p.
        float max = vals[0];
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(vals[i] - max);
            sum += p[i];
        }
        int keep = n;
        if (params.topP() < 1f) {
            double cum = 0;
            for (int i = 0; i < n; i++) {
                cum += p[i] / sum;
                if (cum >= params.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        if (params.minP() > 0f) {
            double threshold = p[0] * params.minP(); // p[0] is the largest
            int k = 1;
            while (k < keep && p[k] >= threshold) k++;
            keep = k;
        }
        // Temperature on the survivors, then a draw.
        double total = 0;
        double[] w = new double[keep];
        for (int i = 0; i < keep; i++) {
            w[i] = Math.exp((vals[i] - max) / params.temperature());
            total += w[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= w[i];
            if (r < 0) return ids[i];
        }
        return ids[keep - 1];
    }

    /** Fills ids/vals with the top-k tokens (all finite ones when k is off), sorted by logit descending. */
    private int candidates(float[] l) {
        int vocab = l.length;
        int k = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        if (packed.length < vocab) packed = new long[vocab];
        // Each finite logit as one long, (order-preserving bits, id): larger is better, ties go to the larger id.
        int n = k < vocab ? topByHeap(l, k, packed) : packAll(l);
        if (n == 0) throw new IllegalStateException("every token is masked out");
        k = Math.min(k, n);
        Arrays.sort(packed, 0, k);
        if (ids.length < k) {
            ids = new int[k];
            vals = new float[k];
        }
        for (int i = 0; i < k; i++) {
            long e = packed[k - 1 - i];
            ids[i] = (int) e;
            vals[i] = l[ids[i]];
        }
        return k;
    }

    /** Every finite logit, packed into packed[0 .. n); returns n. */
    private int packAll(float[] l) {
        int n = 0;
        for (int i = 0; i < l.length; i++) {
            if (finite(l[i])) packed[n++] = (long) sortableBits(l[i]) << 32 | i;
        }
        return n;
    }

    /**
     * The k largest packed logits in packed[0 .. min(k, finite)), in no order; returns how many. One
     * pass with a min-heap of k entries: after the first k, a logit is packed only when it beats the
     * heap's smallest, which for a vocabulary of 150k and k = 40 is rare, so sampling costs a scan of
     * the logits instead of a selection over all of them (about 3 ms a token before, per stream).
     */
    static int topByHeap(float[] l, int k, long[] heap) {
        int size = 0, i = 0;
        for (; i < l.length && size < k; i++) {
            if (finite(l[i])) LongHeap.siftUp(heap, size++, (long) sortableBits(l[i]) << 32 | i);
        }
        if (size < k) return size;
        // A float compare first (predictable, and NaN never passes); the packed key then settles -0.0
        // against 0.0 and ties, which a later id wins. Whole vectors of logits below the heap's
        // smallest are passed over with one compare.
        float floor = l[(int) heap[0]];
        int step = F.length();
        for (; i + step <= l.length; i += step) {
            if (!FloatVector.fromArray(F, l, i).compare(VectorOperators.GE, floor).anyTrue()) continue;
            for (int j = i; j < i + step; j++) floor = offer(l, j, floor, heap, k);
        }
        for (; i < l.length; i++) floor = offer(l, i, floor, heap, k);
        return k;
    }

    /** Puts logit i into the heap of k when it beats the smallest there; returns the heap's smallest logit. */
    private static float offer(float[] l, int i, float floor, long[] heap, int k) {
        float v = l[i];
        if (v >= floor) {
            long e = (long) sortableBits(v) << 32 | i;
            if (e > heap[0]) {
                LongHeap.siftDown(heap, k, e);
                return l[(int) heap[0]];
            }
        }
        return floor;
    }

    private static boolean finite(float v) {
        return v != Float.NEGATIVE_INFINITY && !Float.isNaN(v);
    }

    /** A float's bits mapped so that signed int order equals float order. */
    static int sortableBits(float f) {
        int b = Float.floatToIntBits(f);
        return b ^ ((b >> 31) & 0x7fffffff);
    }
}
