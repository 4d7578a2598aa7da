package dev.edgebox.engine.model;

import dev.edgebox.engine.lora.AdapterStack;

/**
 * Tokens to run through the model in one forward pass, each with its sequence (KV cache) and
 * position, as llama.cpp's llama_batch. One sequence's prompt chunk, or the next token of many
 * sequences at once (continuous batching): the mat-muls are shared, attention is per sequence.
 * A sequence's entries must be consecutive new positions. An entry may name the LoRA adapters it
 * runs with; entries with different adapters still share the base mat-muls.
 */
public final class Batch {
    private int size;
    private int[] tokens;
    private int[] positions;
    private KvCache[] sequences;
    private boolean[] wantLogits;
    private AdapterStack[] adapters;
    private int adapted; // entries with adapters

    public Batch(int capacity) {
        tokens = new int[capacity];
        positions = new int[capacity];
        sequences = new KvCache[capacity];
        wantLogits = new boolean[capacity];
        adapters = new AdapterStack[capacity];
    }

    public Batch clear() {
        size = 0;
        java.util.Arrays.fill(sequences, null);
        if (adapted > 0) java.util.Arrays.fill(adapters, null);
        adapted = 0;
        return this;
    }

    public Batch add(int token, int position, KvCache sequence, boolean logits) {
        return add(token, position, sequence, logits, null);
    }

    /** Adds an entry that runs with the given adapters (null or empty: the base model alone). */
    public Batch add(int token, int position, KvCache sequence, boolean logits, AdapterStack adapters) {
        if (size == tokens.length) throw new IllegalStateException("batch is full (" + size + ")");
        tokens[size] = token;
        positions[size] = position;
        sequences[size] = sequence;
        wantLogits[size] = logits;
        boolean any = adapters != null && !adapters.isEmpty();
        this.adapters[size] = any ? adapters : null;
        if (any) adapted++;
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

    /** The adapters of entry i, or null when it runs on the base model alone. */
    public AdapterStack adapters(int i) {
        return adapters[i];
    }

    /** Whether any entry uses adapters (the decoder skips all LoRA work otherwise). */
    public boolean hasAdapters() {
        return adapted > 0;
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
