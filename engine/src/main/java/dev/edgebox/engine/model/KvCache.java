package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.tensor.Simd;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The keys and values of one sequence, per layer, for positions 0..length-1. Storage grows with the
 * sequence up to the context size, so a short chat does not pay for a long context. F16 halves the
 * memory (the default, as in llama.cpp); F32 is exact and is what the conformance tests use.
 */
public abstract sealed class KvCache permits KvCache.F32, KvCache.F16 {

    public enum Type { F16, F32 }

    protected final int layers;
    protected final int kvDim;
    protected final int headDim;
    protected final int capacity;
    protected int allocated;
    private int length;
    private int[] tokens = new int[0];

    protected KvCache(int layers, int kvDim, int headDim, int capacity) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.headDim = headDim;
        this.capacity = capacity;
    }

    public static KvCache create(Type type, ModelConfig c, int capacity) {
        return type == Type.F16
                ? new F16(c.layers(), c.kvDim(), c.headDim(), capacity)
                : new F32(c.layers(), c.kvDim(), c.headDim(), capacity);
    }

    /** Positions filled so far; the next token goes at this position. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** The token at a filled position. */
    public int tokenAt(int pos) {
        if (pos < 0 || pos >= length) throw new IndexOutOfBoundsException(pos);
        return tokens[pos];
    }

    /** How many leading tokens of {@code prompt} this sequence already holds (their KV entries can be kept). */
    public int commonPrefix(int[] prompt) {
        int n = 0;
        while (n < length && n < prompt.length && tokens[n] == prompt[n]) n++;
        return n;
    }

    /** Forgets everything from position {@code n} on (to reuse a common prefix). */
    public void truncate(int n) {
        if (n < 0 || n > length) throw new IllegalArgumentException("truncate to " + n + " of " + length);
        length = n;
    }

    /** Records that a forward pass filled this position with this token. */
    void filled(int pos, int token) {
        tokens[pos] = token;
        length = Math.max(length, pos + 1);
    }

    /** Makes room for positions below {@code n}. */
    void reserve(int n) {
        if (n > capacity) {
            throw new EngineException("context is full: position " + (n - 1) + " does not fit the context of " + capacity + " tokens");
        }
        if (n > allocated) {
            int grown = Math.min(capacity, Math.max(n, Math.max(64, allocated * 2)));
            grow(grown);
            tokens = Arrays.copyOf(tokens, grown);
            allocated = grown;
        }
    }

    public abstract Type type();

    /** Bytes held now. */
    public abstract long bytes();

    protected abstract void grow(int positions);

    /** Stores key and value rows (kvDim floats each) of a layer at a position. */
    abstract void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff);

    /** scores[t] = q . key(t) for t in [0, n), for one kv head. */
    abstract void dotKeys(int layer, int kvHead, float[] q, int qOff, int n, float[] scores);

    /** out[0..headDim) = sum over t < n of w[t] * value(t), for one kv head. */
    abstract void weightedValues(int layer, int kvHead, float[] w, int n, float[] out, int outOff);

    static final class F32 extends KvCache {
        private final float[][] k;
        private final float[][] v;

        F32(int layers, int kvDim, int headDim, int capacity) {
            super(layers, kvDim, headDim, capacity);
            k = new float[layers][0];
            v = new float[layers][0];
        }

        @Override
        public Type type() {
            return Type.F32;
        }

        @Override
        public long bytes() {
            return 2L * layers * allocated * kvDim * 4;
        }

        @Override
        protected void grow(int positions) {
            for (int l = 0; l < layers; l++) {
                k[l] = Arrays.copyOf(k[l], positions * kvDim);
                v[l] = Arrays.copyOf(v[l], positions * kvDim);
            }
        }

        @Override
        void store(int layer, int pos, float[] ks, int kOff, float[] vs, int vOff) {
            System.arraycopy(ks, kOff, k[layer], pos * kvDim, kvDim);
            System.arraycopy(vs, vOff, v[layer], pos * kvDim, kvDim);
        }

        @Override
        void dotKeys(int layer, int kvHead, float[] q, int qOff, int n, float[] scores) {
            float[] keys = k[layer];
            int hd = headDim;
            int bound = Simd.F.loopBound(hd);
            float[] lanes = Simd.lanes();
            for (int t = 0; t < n; t++) {
                int off = t * kvDim + kvHead * hd;
                FloatVector acc = FloatVector.zero(Simd.F);
                int i = 0;
                for (; i < bound; i += Simd.F.length()) {
                    acc = FloatVector.fromArray(Simd.F, q, qOff + i).fma(FloatVector.fromArray(Simd.F, keys, off + i), acc);
                }
                float s = Simd.sum(acc, lanes);
                for (; i < hd; i++) s += q[qOff + i] * keys[off + i];
                scores[t] = s;
            }
        }

        @Override
        void weightedValues(int layer, int kvHead, float[] w, int n, float[] out, int outOff) {
            float[] vals = v[layer];
            int hd = headDim;
            Arrays.fill(out, outOff, outOff + hd, 0f);
            int bound = Simd.F.loopBound(hd);
            for (int t = 0; t < n; t++) {
                int off = t * kvDim + kvHead * hd;
                FloatVector wt = FloatVector.broadcast(Simd.F, w[t]);
                int i = 0;
                for (; i < bound; i += Simd.F.length()) {
                    FloatVector.fromArray(Simd.F, vals, off + i).fma(wt, FloatVector.fromArray(Simd.F, out, outOff + i))
                            .intoArray(out, outOff + i);
                }
                for (; i < hd; i++) out[outOff + i] += w[t] * vals[off + i];
            }
        }
    }

    static final class F16 extends KvCache {
        private final short[][] k;
        private final short[][] v;

        F16(int layers, int kvDim, int headDim, int capacity) {
            super(layers, kvDim, headDim, capacity);
            k = new short[layers][0];
            v = new short[layers][0];
        }

        @Override
        public Type type() {
            return Type.F16;
        }

        @Override
        public long bytes() {
            return 2L * layers * allocated * kvDim * 2;
        }

        @Override
        protected void grow(int positions) {
            for (int l = 0; l < layers; l++) {
                k[l] = Arrays.copyOf(k[l], positions * kvDim);
                v[l] = Arrays.copyOf(v[l], positions * kvDim);
            }
        }

        @Override
        void store(int layer, int pos, float[] ks, int kOff, float[] vs, int vOff) {
            short[] kl = k[layer], vl = v[layer];
            int base = pos * kvDim;
            for (int i = 0; i < kvDim; i++) {
                kl[base + i] = Float.floatToFloat16(ks[kOff + i]);
                vl[base + i] = Float.floatToFloat16(vs[vOff + i]);
            }
        }

        @Override
        void dotKeys(int layer, int kvHead, float[] q, int qOff, int n, float[] scores) {
            short[] keys = k[layer];
            int hd = headDim;
            int bound = Simd.I.loopBound(hd);
            float[] lanes = Simd.lanes();
            for (int t = 0; t < n; t++) {
                int off = t * kvDim + kvHead * hd;
                FloatVector acc = FloatVector.zero(Simd.F);
                int i = 0;
                for (; i < bound; i += Simd.F.length()) {
                    acc = FloatVector.fromArray(Simd.F, q, qOff + i).fma(Simd.halvesToFloats(keys, off + i), acc);
                }
                float s = Simd.sum(acc, lanes);
                for (; i < hd; i++) s += q[qOff + i] * Float.float16ToFloat(keys[off + i]);
                scores[t] = s;
            }
        }

        @Override
        void weightedValues(int layer, int kvHead, float[] w, int n, float[] out, int outOff) {
            short[] vals = v[layer];
            int hd = headDim;
            Arrays.fill(out, outOff, outOff + hd, 0f);
            int bound = Simd.I.loopBound(hd);
            for (int t = 0; t < n; t++) {
                int off = t * kvDim + kvHead * hd;
                FloatVector wt = FloatVector.broadcast(Simd.F, w[t]);
                int i = 0;
                for (; i < bound; i += Simd.F.length()) {
                    Simd.halvesToFloats(vals, off + i).fma(wt, FloatVector.fromArray(Simd.F, out, outOff + i)).intoArray(out, outOff + i);
                }
                for (; i < hd; i++) out[outOff + i] = Math.fma(Float.float16ToFloat(vals[off + i]), w[t], out[outOff + i]);
            }
        }
    }
}
