package dev.edgebox.engine.model;

/**
 * Tokens to run through the model in one forward pass, each with its sequence (KV cache) and
 * position, as llama.cpp's llama_batch. One sequence's prompt chunk, or the next token of many
 * sequences at once (continuous batching): the mat-muls are shared, attention is per sequence.
 * A sequence's entries must be consecutive new positions.
 */
public final class Batch {
    private int size;
    private int[] tokens;
    private int[] positions;
    private KvCache[] sequences;
    private boolean[] wantLogits;

    public Batch(int capacity) {
        tokens = new int[capacity];
        positions = new int[capacity];
        sequences = new KvCache[capacity];
        wantLogits = new boolean[capacity];
    }

    public Batch clear() {
        size = 0;
        java.util.Arrays.fill(sequences, null);
        return this;
    }

    public Batch add(int token, int position, KvCache sequence, boolean logits) {
        if (size == tokens.length) throw new IllegalStateException("batch is full (" + size + ")");
        tokens[size] = token;
        positions[size] = position;
        sequences[size] = sequence;
        wantLogits[size] = logits;
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return tokens.length;
    }

    public int token(int i) {
        return tokens[i];
    }

    public int position(int i) {
        return positions[i];
    }

    public KvCache sequence(int i) {
        return sequences[i];
    }

    public boolean wantsLogits(int i) {
        return wantLogits[i];
    }

    public int logitCount() {
        int n = 0;
        for (int i = 0; i < size; i++) if (wantLogits[i]) n++;
        return n;
    }
}
