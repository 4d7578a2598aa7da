package dev.edgebox.engine.tokenizer;

import java.util.Arrays;

/**
 * A model's vocabulary as llama.cpp loads it: token texts, scores and attributes, the special
 * token ids, and the switches that tokenizing and detokenizing depend on. Built by
 * {@link VocabularyReader}; immutable once built.
 */
final class Vocabulary {
    /** The tokenizer algorithm, from tokenizer.ggml.model. */
    enum Kind { SPM, BPE, WPM }

    static final int NONE = -1;

    final Kind kind;
    final String model;
    final String[] texts;
    final float[] scores;
    final int[] attrs;
    private final TokenIndex index;

    int bos = NONE, eos = NONE, eot = NONE, eom = NONE, unk = NONE, sep = NONE, pad = NONE, mask = NONE;
    int fimPre = NONE, fimSuf = NONE, fimMid = NONE, fimPad = NONE, fimRep = NONE, fimSep = NONE;

    boolean addBos, addEos, addSep, addSpacePrefix, cleanSpaces, ignoreMerges;
    PreTokenizer preTokenizer; // BPE only
    String[] merges;           // BPE only

    /** Tokens that end generation, sorted. */
    int[] endOfGeneration = new int[0];
    /** Control, user-defined and unknown tokens, longest text first: the order they are matched in. */
    int[] specialTokens = new int[0];

    Vocabulary(Kind kind, String model, String[] texts, float[] scores, int[] attrs) {
        this.kind = kind;
        this.model = model;
        this.texts = texts;
        this.scores = scores;
        this.attrs = attrs;
        this.index = new TokenIndex(texts);
    }

    int size() {
        return texts.length;
    }

    /** The id of a token with exactly this text, or {@link #NONE}. */
    int id(String text) {
        return index.get(text);
    }

    /** The id of the token whose text is {@code s[from, to)}, or {@link #NONE}. */
    int id(String s, int from, int to) {
        return index.get(s, from, to);
    }

    /** The id of the token whose text is {@code a[aFrom, aTo) + b[bFrom, bTo)}, or {@link #NONE}. */
    int idJoined(String a, int aFrom, int aTo, String b, int bFrom, int bTo) {
        return index.getJoined(a, aFrom, aTo, b, bFrom, bTo);
    }

    boolean has(int id, int attr) {
        return id >= 0 && id < attrs.length && (attrs[id] & attr) != 0;
    }

    boolean isEndOfGeneration(int id) {
        return Arrays.binarySearch(endOfGeneration, id) >= 0;
    }

    boolean contains(int id) {
        return id >= 0 && id < texts.length;
    }
}
