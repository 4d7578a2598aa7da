package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.util.LongHeap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE (llama.cpp's llm_tokenizer_bpe): the pre-tokenizer splits the text into words,
 * each word's UTF-8 bytes start as one symbol each, and the adjacent pair of lowest merge rank
 * (leftmost on ties) is merged until none is left. Words repeat a lot in real text, so results
 * are cached by word.
 */
final class BpeEncoder implements TextEncoder {
    private static final int CACHE_LIMIT = 1 << 15;
    private static final int DEAD = -1;

    private final Vocabulary vocab;
    private final PreTokenizer preTokenizer;
    private final BpeMerges merges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeEncoder(Vocabulary vocab) {
        this.vocab = vocab;
        this.preTokenizer = vocab.preTokenizer;
        this.merges = new BpeMerges(vocab, vocab.merges);
    }

    @Override
    public void encode(String text, boolean afterSpecial, IntList out) {
        int[] cps = text.codePoints().toArray();
        IntList words = preTokenizer.split(cps);
        int start = 0;
        for (int w = 0; w < words.size(); w++) {
            int length = words.get(w);
            String word = new String(cps, start, length);
            start += length;
            int[] ids = cache.get(word);
            if (ids == null) {
                ids = encodeWord(word);
                if (cache.size() >= CACHE_LIMIT) cache.clear();
                cache.put(word, ids);
            }
            out.addAll(ids);
        }
    }

    int[] encodeWord(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        IntList out = new IntList(bytes.length);
        if (vocab.ignoreMerges) {
            int whole = vocab.id(ByteLevel.encode(bytes, 0, bytes.length));
            if (whole != Vocabulary.NONE) {
                out.add(whole);
                return out.toArray();
            }
        }
        int n = bytes.length;
        if (n == 0) return new int[0];
        int[] symbols = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        LongHeap queue = new LongHeap(n);
        for (int i = 0; i < n; i++) {
            symbols[i] = merges.byteSymbol(bytes[i]);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        for (int i = 0; i + 1 < n; i++) offer(queue, symbols, i, i + 1);
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = next[left];
            // Stale entries: one side has merged since, so the pair (and its rank) is different now.
            if (symbols[left] == DEAD || right < 0 || merges.rank(symbols[left], symbols[right]) != rank) continue;
            symbols[left] = merges.result(rank);
            symbols[right] = DEAD;
            next[left] = next[right];
            if (next[left] >= 0) prev[next[left]] = left;
            if (prev[left] >= 0) offer(queue, symbols, prev[left], left);
            if (next[left] >= 0) offer(queue, symbols, left, next[left]);
        }
        for (int i = 0; i >= 0; i = next[i]) emit(symbols[i], out);
        return out.toArray();
    }

    private void offer(LongHeap queue, int[] symbols, int left, int right) {
        int rank = merges.rank(symbols[left], symbols[right]);
        if (rank >= 0) queue.add(((long) rank << 32) | left);
    }

    /** A symbol that is not a token is spelled out by the single-byte tokens of its ASCII characters, as llama.cpp does. */
    private void emit(int symbol, IntList out) {
        if (merges.isToken(symbol)) {
            out.add(symbol);
            return;
        }
        for (byte b : merges.virtualText(symbol).getBytes(StandardCharsets.UTF_8)) {
            if (b < 0) continue;
            int id = vocab.id(String.valueOf((char) b));
            if (id != Vocabulary.NONE) out.add(id);
        }
    }
}
