package dev.edgebox.engine.grammar;

/**
 * "Plain text" for the token-mask shortcut: valid UTF-8 without control characters, '"', '\' and
 * DEL, possibly ending inside a character. These bytes behave alike in a JSON string, so most of
 * a vocabulary (words, CJK, emoji) can be accepted in whole subtrees of the token trie once the
 * automaton is shown to accept any plain text that long ({@link Automaton#textRun}).
 *
 * <p>A small UTF-8 automaton: state 0 is a character boundary, the others wait for continuation
 * bytes (with the narrower second-byte ranges after E0, ED, F0 and F4 that rule out overlong
 * forms and surrogates). Bytes are grouped in classes that take one state to the same next state.
 */
final class Utf8Text {
    static final int BOUNDARY = 0;
    static final int INVALID = -1;
    static final int STATES = 8;

    // Byte classes.
    // E1-EC and EE-EF lie on either side of ED; a character class of the grammar reaches them through separate
    // UTF-8 patterns, so they are separate classes too.
    static final int ASCII = 0, LEAD2 = 1, E0 = 2, LEAD3 = 3, ED = 4, LEAD3_HIGH = 5, F0 = 6, LEAD4 = 7, F4 = 8;
    static final int CONT = 9, CONT_A0_BF = 10, CONT_80_9F = 11, CONT_90_BF = 12, CONT_80_8F = 13;
    static final int CLASS_COUNT = 14;
    static final int[][] CLASS_RANGES = {
            {0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E}, {0xC2, 0xDF}, {0xE0, 0xE0}, {0xE1, 0xEC}, {0xED, 0xED}, {0xEE, 0xEF},
            {0xF0, 0xF0}, {0xF1, 0xF3}, {0xF4, 0xF4}, {0x80, 0xBF}, {0xA0, 0xBF}, {0x80, 0x9F}, {0x90, 0xBF}, {0x80, 0x8F}};

    /** States: 0 boundary, 1/2/3 continuation bytes still needed, 4 after E0, 5 after ED, 6 after F0, 7 after F4. */
    static final int[][] CLASSES_FROM = {
            {ASCII, LEAD2, E0, LEAD3, ED, LEAD3_HIGH, F0, LEAD4, F4}, {CONT}, {CONT}, {CONT}, {CONT_A0_BF}, {CONT_80_9F}, {CONT_90_BF}, {CONT_80_8F}};
    static final int[][] CLASS_TARGET = new int[STATES][CLASS_COUNT];

    static {
        int[][] targets = {{0, 1, 4, 2, 5, 2, 6, 3, 7}, {0}, {1}, {2}, {1}, {1}, {2}, {2}};
        for (int u = 0; u < STATES; u++) for (int k = 0; k < CLASSES_FROM[u].length; k++) CLASS_TARGET[u][CLASSES_FROM[u][k]] = targets[u][k];
    }

    private Utf8Text() {}

    /** The state after byte b, or INVALID if b cannot continue plain text from state u. */
    static int next(int u, int b) {
        for (int c : CLASSES_FROM[u]) {
            int[] r = CLASS_RANGES[c];
            for (int k = 0; k < r.length; k += 2) if (b >= r[k] && b <= r[k + 1]) return CLASS_TARGET[u][c];
        }
        return INVALID;
    }
}
