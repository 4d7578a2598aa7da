package dev.edgebox.engine.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge table of a byte-level BPE vocabulary, keyed by pairs of symbol ids rather than strings.
 * A symbol is a token id, or a "virtual" id above the vocabulary for a merge part or result that is
 * not itself a token (llama.cpp compares texts, so such strings still merge and are spelled out
 * at the end). The rank of a merge is its line number; the first line wins for a repeated pair.
 */
final class BpeMerges {
    private static final long EMPTY = -1L;

    private final Vocabulary vocab;
    private final Map<String, Integer> virtualIds = new HashMap<>();
    private final List<String> virtualTexts = new ArrayList<>();
    private final int[] byteSymbols = new int[256];
    private final int[] results;
    private long[] keys;
    private int[] ranks;
    private int mask;

    BpeMerges(Vocabulary vocab, String[] merges) {
        this.vocab = vocab;
        this.results = new int[merges.length];
        int capacity = Integer.highestOneBit(Math.max(16, merges.length * 2 - 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(keys, EMPTY);
        for (int b = 0; b < 256; b++) byteSymbols[b] = symbol(String.valueOf(ByteLevel.charOf(b)));
        for (int rank = 0; rank < merges.length; rank++) {
            String m = merges[rank];
            int space = m.indexOf(' ', 1);
            if (space < 0) continue; // llama.cpp keeps it as an empty pair that can never match
            int left = symbol(m, 0, space);
            int right = symbol(m, space + 1, m.length());
            int result = vocab.idJoined(m, 0, space, m, space + 1, m.length());
            results[rank] = result != Vocabulary.NONE ? result : virtual(m.substring(0, space) + m.substring(space + 1));
            putIfAbsent(key(left, right), rank);
        }
    }

    /** The symbol of one byte (its GPT-2 alphabet character). */
    int byteSymbol(int b) {
        return byteSymbols[b & 0xFF];
    }

    /** The rank of merging the two symbols, or -1 if they do not merge. */
    int rank(int left, int right) {
        long key = key(left, right);
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return ranks[i];
            if (k == EMPTY) return -1;
        }
    }

    /** The symbol a merge of this rank produces. */
    int result(int rank) {
        return results[rank];
    }

    boolean isToken(int symbol) {
        return symbol < vocab.size();
    }

    /** The text of a symbol that is not a token. */
    String virtualText(int symbol) {
        return virtualTexts.get(symbol - vocab.size());
    }

    private int symbol(String text) {
        return symbol(text, 0, text.length());
    }

    private int symbol(String s, int from, int to) {
        int id = vocab.id(s, from, to);
        return id != Vocabulary.NONE ? id : virtual(s.substring(from, to));
    }

    private int virtual(String text) {
        return virtualIds.computeIfAbsent(text, t -> {
            virtualTexts.add(t);
            return vocab.size() + virtualTexts.size() - 1;
        });
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void putIfAbsent(long key, int rank) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) return;
            if (keys[i] == EMPTY) {
                keys[i] = key;
                ranks[i] = rank;
                return;
            }
        }
    }
}
