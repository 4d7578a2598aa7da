package dev.edgebox.engine.tokenizer;

/**
 * Token id by text, an open-addressing table over the vocabulary's own strings. Besides whole
 * strings it looks up a range of a string and the concatenation of two ranges without building
 * the key, which keeps loading merges and SentencePiece's pair search free of allocations.
 * Hashes are String.hashCode, so a whole-string lookup reuses the string's cached hash.
 */
final class TokenIndex {
    private final String[] texts;
    private final int[] slots; // token id + 1, 0 = empty
    private final int mask;
    private final int shift;

    /** Indexes the texts; for a repeated text the first id wins. */
    TokenIndex(String[] texts) {
        this.texts = texts;
        int capacity = Integer.highestOneBit(Math.max(16, texts.length * 2 - 1)) << 1;
        slots = new int[capacity];
        mask = capacity - 1;
        shift = Integer.numberOfLeadingZeros(capacity) + 1;
        for (int id = 0; id < texts.length; id++) {
            String t = texts[id];
            int i = spread(t.hashCode());
            while (true) {
                int s = slots[i];
                if (s == 0) {
                    slots[i] = id + 1;
                    break;
                }
                if (texts[s - 1].equals(t)) break;
                i = (i + 1) & mask;
            }
        }
    }

    /** The id of the token with exactly this text, or -1. */
    int get(String text) {
        for (int i = spread(text.hashCode()); ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) return -1;
            if (texts[s - 1].equals(text)) return s - 1;
        }
    }

    /** The id of the token whose text is {@code s[from, to)}, or -1. */
    int get(String s, int from, int to) {
        return getJoined(s, from, to, s, to, to);
    }

    /** The id of the token whose text is {@code a[aFrom, aTo) + b[bFrom, bTo)}, or -1. */
    int getJoined(String a, int aFrom, int aTo, String b, int bFrom, int bTo) {
        int h = 0;
        for (int k = aFrom; k < aTo; k++) h = 31 * h + a.charAt(k);
        for (int k = bFrom; k < bTo; k++) h = 31 * h + b.charAt(k);
        int aLen = aTo - aFrom;
        int length = aLen + bTo - bFrom;
        for (int i = spread(h); ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) return -1;
            String t = texts[s - 1];
            if (t.length() == length && t.regionMatches(0, a, aFrom, aLen) && t.regionMatches(aLen, b, bFrom, bTo - bFrom)) {
                return s - 1;
            }
        }
    }

    /** The top bits of a multiplicative hash: String.hashCode alone clusters badly for short keys. */
    private int spread(int h) {
        return (h * 0x9E3779B9) >>> shift;
    }
}
