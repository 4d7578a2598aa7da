package dev.edgebox.engine.model;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.tensor.AttentionKernels;
import dev.edgebox.engine.tensor.Simd;
import java.util.Arrays;

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

    /**
     * The keys of positions [from, from + n) of one kv head as floats in {@link AttentionKernels#keyDots}'
     * layout: by dimension in blocks of {@link #KEY_BLOCK} positions, dimension d of position from + p
     * at dst[(p / 16) * headDim * 16 + d * 16 + p % 16]; from a multiple of the block. Lanes past n in
     * the last block hold whatever the cache has there.
     */
    abstract void keysByDimension(int layer, int kvHead, int from, int n, float[] dst);

    /**
     * Keys are stored as they are read: per block of 16 positions, each of the kvDim dimensions'
     * 16 values together (dimension i of position pos at keyIndex(pos, i)). Attention then gets
     * a vector of sixteen positions' values per dimension without a transposition; a store writes
     * 16 apart, once per token.
     */
    static final int KEY_BLOCK = AttentionKernels.KEY_BLOCK;

    final int keyIndex(int pos, int i) {
        return ((pos / KEY_BLOCK) * kvDim + i) * KEY_BLOCK + pos % KEY_BLOCK;
    }

    /** Key array length for a number of positions: whole blocks. */
    final int keyLength(int positions) {
        return Math.ceilDiv(positions, KEY_BLOCK) * KEY_BLOCK * kvDim;
    }

    /** The values of positions [from, from + n) of one kv head as floats, position from + p at dst[p * headDim]. */
    abstract void values(int layer, int kvHead, int from, int n, float[] dst);

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
            return (long) layers * (keyLength(allocated) + allocated * kvDim) * 4;
        }

        @Override
        protected void grow(int positions) {
            for (int l = 0; l < layers; l++) {
                k[l] = Arrays.copyOf(k[l], keyLength(positions));
                v[l] = Arrays.copyOf(v[l], positions * kvDim);
            }
        }

        @Override
        void store(int layer, int pos, float[] ks, int kOff, float[] vs, int vOff) {
            float[] kl = k[layer];
            for (int i = 0; i < kvDim; i++) kl[keyIndex(pos, i)] = ks[kOff + i];
            System.arraycopy(vs, vOff, v[layer], pos * kvDim, kvDim);
        }

        @Override
        void keysByDimension(int layer, int kvHead, int from, int n, float[] dst) {
            int block = KEY_BLOCK * headDim;
            for (int b = 0; b * KEY_BLOCK < n; b++) System.arraycopy(k[layer], keyIndex(from + b * KEY_BLOCK, kvHead * headDim), dst, b * block, block);
        }

        @Override
        void values(int layer, int kvHead, int from, int n, float[] dst) {
            copy(v[layer], kvHead, from, n, dst);
        }

        private void copy(float[] src, int kvHead, int from, int n, float[] dst) {
            for (int p = 0; p < n; p++) System.arraycopy(src, (from + p) * kvDim + kvHead * headDim, dst, p * headDim, headDim);
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
            return (long) layers * (keyLength(allocated) + allocated * kvDim) * 2;
        }

        @Override
        protected void grow(int positions) {
            for (int l = 0; l < layers; l++) {
                k[l] = Arrays.copyOf(k[l], keyLength(positions));
                v[l] = Arrays.copyOf(v[l], positions * kvDim);
            }
        }

        @Override
        void store(int layer, int pos, float[] ks, int kOff, float[] vs, int vOff) {
            short[] kl = k[layer], vl = v[layer];
            int base = pos * kvDim;
            for (int i = 0; i < kvDim; i++) {
                kl[keyIndex(pos, i)] = Float.floatToFloat16(ks[kOff + i]);
                vl[base + i] = Float.floatToFloat16(vs[vOff + i]);
            }
        }

        @Override
        void keysByDimension(int layer, int kvHead, int from, int n, float[] dst) {
            short[] src = k[layer];
            int count = Math.ceilDiv(n, KEY_BLOCK) * KEY_BLOCK * headDim, s = keyIndex(from, kvHead * headDim), step = Simd.I.length();
            // A block's head is contiguous (headDim x 16 halves); consecutive blocks are kvDim x 16 apart.
            for (int o = 0; o < count; o += KEY_BLOCK * headDim, s += KEY_BLOCK * kvDim) {
                for (int i = 0; i < KEY_BLOCK * headDim; i += step) Simd.halvesToFloats(src, s + i).intoArray(dst, o + i);
            }
        }

        @Override
        void values(int layer, int kvHead, int from, int n, float[] dst) {
            toFloats(v[layer], kvHead, from, n, dst);
        }

        private void toFloats(short[] src, int kvHead, int from, int n, float[] dst) {
            int hd = headDim, bound = Simd.I.loopBound(hd);
            for (int p = 0; p < n; p++) {
                int s = (from + p) * kvDim + kvHead * hd, d = p * hd, i = 0;
                for (; i < bound; i += Simd.I.length()) Simd.halvesToFloats(src, s + i).intoArray(dst, d + i);
                for (; i < hd; i++) dst[d + i] = Float.float16ToFloat(src[s + i]);
            }
        }
    }
}
