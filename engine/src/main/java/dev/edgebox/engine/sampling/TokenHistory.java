package dev.edgebox.engine.sampling;

import java.util.Arrays;

/** The tokens of a sequence, growing as it is generated; read by penalties and grammars. */
public final class TokenHistory {
    private int[] tokens = new int[256];
    private int size;

    public TokenHistory() {}

    public TokenHistory(int[] initial) {
        for (int t : initial) add(t);
    }

    public void add(int token) {
        if (size == tokens.length) tokens = Arrays.copyOf(tokens, size * 2);
        tokens[size++] = token;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return tokens[i];
    }

    public int[] toArray() {
        return Arrays.copyOf(tokens, size);
    }
}
