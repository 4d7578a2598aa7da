package dev.edgebox.engine.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

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
    final Map<String, Integer> idByText;

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
        this.idByText = new HashMap<>(texts.length * 2);
        for (int i = 0; i < texts.length; i++) idByText.putIfAbsent(texts[i], i);
    }

    int size() {
        return texts.length;
    }

    /** The id of a token with exactly this text, or {@link #NONE}. */
    int id(String text) {
        Integer id = idByText.get(text);
        return id == null ? NONE : id;
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
