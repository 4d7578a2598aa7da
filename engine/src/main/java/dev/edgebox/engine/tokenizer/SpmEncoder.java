package dev.edgebox.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE (llama.cpp's llm_tokenizer_spm): spaces become "▁" (with one prepended at the
 * start of the input and after special tokens when the vocabulary asks for a space prefix), every
 * code point starts as a symbol, and the adjacent pair whose concatenation is the token with the
 * highest score (leftmost on ties) is merged until no pair forms a token. Symbols that are not
 * tokens are spelled with byte tokens ({@code <0xNN>}).
 */
final class SpmEncoder implements TextEncoder {
    private static final String SPACE = "\u2581";

    private final Vocabulary vocab;
    private final int[] byteTokens = new int[256];

    SpmEncoder(Vocabulary vocab) {
        this.vocab = vocab;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id == Vocabulary.NONE && b < 0x80) id = vocab.id(String.valueOf((char) b));
            byteTokens[b] = id;
        }
    }

    private record Bigram(float score, int left, int right, int size) {}

    @Override
    public void encode(String fragment, boolean afterSpecial, IntList out) {
        String text = (vocab.addSpacePrefix && afterSpecial ? " " + fragment : fragment).replace(" ", SPACE);
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
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(queue, text, start, length, i - 1, i);
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left;
            int right = bigram.right;
            // Stale entries: a side has merged since, which changed its length.
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.size) continue;
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) offer(queue, text, start, length, prev[left], left);
            if (next[left] >= 0) offer(queue, text, start, length, left, next[left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            String piece = text.substring(start[i], start[i] + length[i]);
            int id = vocab.id(piece);
            if (id != Vocabulary.NONE) {
                out.add(id);
                continue;
            }
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int byteId = byteTokens[b & 0xFF];
                if (byteId != Vocabulary.NONE) out.add(byteId);
                else if (vocab.unk != Vocabulary.NONE) out.add(vocab.unk);
            }
        }
    }

    private void offer(PriorityQueue<Bigram> queue, String text, int[] start, int[] length, int left, int right) {
        int size = length[left] + length[right];
        int id = vocab.id(text.substring(start[left], start[left] + size));
        if (id == Vocabulary.NONE) return;
        queue.add(new Bigram(vocab.scores[id], left, right, size));
    }
}
