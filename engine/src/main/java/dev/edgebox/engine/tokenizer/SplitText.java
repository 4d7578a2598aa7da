package dev.edgebox.engine.tokenizer;

/**
 * The text a pre-tokenizer splits: its code points, plus the two views llama.cpp runs regexes on,
 * built only when a stage asks. Segments are always measured in code points.
 */
final class SplitText {
    // Stand-ins for non-ASCII code points in the collapsed view, one per category (private-use chars).
    static final char OTHER = '\uE000';
    static final char NUMBER = '\uE001';
    static final char LETTER = '\uE002';
    static final char PUNCTUATION = '\uE003';
    static final char MARK = '\uE004';
    static final char SYMBOL = '\uE005';
    static final char WHITESPACE = '\u000B';

    final int[] cps;
    private String collapsed;
    private String wide;
    private int[] charIndex; // code point index -> char index in the wide view; null when they coincide

    SplitText(int[] cps) {
        this.cps = cps;
    }

    /**
     * One char per code point: ASCII as is, anything else replaced by a stand-in for its category
     * (whitespace by \u000B), so that regexes can use plain character classes for \p{L} etc.
     */
    String collapsed() {
        if (collapsed == null) {
            char[] c = new char[cps.length];
            for (int i = 0; i < cps.length; i++) c[i] = collapse(cps[i]);
            collapsed = new String(c);
        }
        return collapsed;
    }

    /** The text itself with non-ASCII whitespace replaced by \u000B, for regexes without categories. */
    String wide() {
        if (wide == null) {
            StringBuilder sb = new StringBuilder(cps.length + 8);
            boolean supplementary = false;
            for (int cp : cps) {
                if (cp > 0x7F && CodepointClass.isWhitespace(cp)) sb.append(WHITESPACE);
                else sb.appendCodePoint(cp);
                supplementary |= cp > 0xFFFF;
            }
            wide = sb.toString();
            if (supplementary) {
                charIndex = new int[cps.length + 1];
                int at = 0;
                for (int i = 0; i < cps.length; i++) {
                    charIndex[i] = at;
                    at += Character.charCount(cps[i]);
                }
                charIndex[cps.length] = at;
            }
        }
        return wide;
    }

    /** Char index in {@link #wide()} of a code point index. */
    int wideIndex(int cpIndex) {
        return charIndex == null ? cpIndex : charIndex[cpIndex];
    }

    /** Code point index of a char index in {@link #wide()} (which never splits a surrogate pair). */
    int cpIndexOfWide(int charIdx) {
        if (charIndex == null) return charIdx;
        int i = java.util.Arrays.binarySearch(charIndex, charIdx);
        return i >= 0 ? i : -i - 1;
    }

    private static char collapse(int cp) {
        if (cp < 128) return (char) cp;
        int flags = CodepointClass.of(cp);
        if ((flags & CodepointClass.WHITESPACE) != 0) return WHITESPACE;
        if ((flags & CodepointClass.NUMBER) != 0) return NUMBER;
        if ((flags & CodepointClass.LETTER) != 0) return LETTER;
        if ((flags & CodepointClass.PUNCTUATION) != 0) return PUNCTUATION;
        if ((flags & CodepointClass.MARK) != 0) return MARK;
        if ((flags & CodepointClass.SYMBOL) != 0) return SYMBOL;
        return OTHER;
    }
}
