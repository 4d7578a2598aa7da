package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.util.LongHeap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece BPE (llama.cpp's llm_tokenizer_spm): spaces become "▁" (with one prepended at the
 * start of the input and after special tokens when the vocabulary asks for a space prefix), every
 * code point starts as a symbol, and the adjacent pair whose concatenation is the token with the
 * highest score (leftmost on ties) is merged until no pair forms a token. Symbols that are not
 * tokens are spelled with byte tokens ({@code <0xNN>}).
 */
final class SpmEncoder implements TextEncoder {
    private static final String SPACE = "\u2581";
    private static final long NO_PAIR = Long.MAX_VALUE;

    private static final int CACHE_LIMIT = 1 << 14;

    private final Vocabulary vocab;
    private final int[] byteTokens = new int[256];
    private final boolean splitAtWords;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    SpmEncoder(Vocabulary vocab) {
        this.vocab = vocab;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id == Vocabulary.NONE && b < 0x80) id = vocab.id(String.valueOf((char) b));
            byteTokens[b] = id;
        }
        splitAtWords = noTokenSpansWordStart(vocab);
    }

    /**
     * True if no token has a "▁" that follows another character than "▁". Then no merge can join
     * the symbols on both sides of a word start (a "▁" after something else), so words can be
     * tokenized, and cached, one by one with exactly the result of tokenizing the whole text.
     */
    private static boolean noTokenSpansWordStart(Vocabulary vocab) {
        for (String t : vocab.texts) {
            for (int i = t.indexOf('\u2581', 1); i > 0; i = t.indexOf('\u2581', i + 1)) {
                if (t.charAt(i - 1) != '\u2581') return false;
            }
        }
        return true;
    }

    @Override
    public void encode(String fragment, boolean afterSpecial, IntList out) {
        String text = (vocab.addSpacePrefix && afterSpecial ? " " + fragment : fragment).replace(" ", SPACE);
        if (!splitAtWords) {
            merge(text, out);
            return;
        }
        int wordStart = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || (text.charAt(i) == '\u2581' && text.charAt(i - 1) != '\u2581')) {
                String word = text.substring(wordStart, i);
                int[] ids = cache.get(word);
                if (ids == null) {
                    IntList wordIds = new IntList(word.length());
                    merge(word, wordIds);
                    ids = wordIds.toArray();
                    if (cache.size() >= CACHE_LIMIT) cache.clear();
                    cache.put(word, ids);
                }
                out.addAll(ids);
                wordStart = i;
            }
        }
    }

    /** Whether words are tokenized one by one (see {@link #noTokenSpansWordStart}). */
    boolean splitsAtWords() {
        return splitAtWords;
    }

    /** Tokenizes escaped text ("▁" for spaces) in one piece, the way llama.cpp does. */
    void merge(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) return;
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, at = 0; i < n; i++) {
            start[i] = at;
            length[i] = Character.charCount(text.codePointAt(at));
            at += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap queue = new LongHeap(n);
        for (int i = 1; i < n; i++) offer(queue, text, start, length, i - 1, i);
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int left = (int) top;
            int right = next[left];
            // A stale entry: a side has merged since, so the pair there now has another token or none.
            if (length[left] == 0 || right < 0 || pairKey(text, start, length, left, right) != top) continue;
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) offer(queue, text, start, length, prev[left], left);
            if (next[left] >= 0) offer(queue, text, start, length, left, next[left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            int id = vocab.id(text, start[i], start[i] + length[i]);
            if (id != Vocabulary.NONE) {
                out.add(id);
                continue;
            }
            for (byte b : text.substring(start[i], start[i] + length[i]).getBytes(StandardCharsets.UTF_8)) {
                int byteId = byteTokens[b & 0xFF];
                if (byteId != Vocabulary.NONE) out.add(byteId);
                else if (vocab.unk != Vocabulary.NONE) out.add(vocab.unk);
            }
        }
    }

    private void offer(LongHeap queue, String text, int[] start, int[] length, int left, int right) {
        long key = pairKey(text, start, length, left, right);
        if (key != NO_PAIR) queue.add(key);
    }

    /**
     * The queue key of merging two adjacent symbols: highest token score first, then leftmost,
     * packed so that a min-heap of longs pops them in that order; NO_PAIR if they form no token.
     */
    private long pairKey(String text, int[] start, int[] length, int left, int right) {
        int id = vocab.id(text, start[left], start[left] + length[left] + length[right]);
        if (id == Vocabulary.NONE) return NO_PAIR;
        int bits = Float.floatToIntBits(vocab.scores[id]);
        int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ~ascending << 32) | left;
    }
}
