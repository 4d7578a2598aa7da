package dev.edgebox.engine.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece (llama.cpp's llm_tokenizer_wpm, for BERT vocabularies): the text is lower-cased and
 * stripped of accents, split at whitespace and around punctuation and CJK characters, and each
 * word, prefixed with "▁", is cut greedily into the longest tokens from its start. A word that
 * cannot be cut completely becomes the unknown token.
 */
final class WordPieceEncoder implements TextEncoder {
    private final Vocabulary vocab;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final int maxTokenLength;

    WordPieceEncoder(Vocabulary vocab, boolean lowercase, boolean stripAccents) {
        this.vocab = vocab;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        int max = 0;
        for (String t : vocab.texts) max = Math.max(max, t.length());
        this.maxTokenLength = max;
    }

    @Override
    public void encode(String text, boolean afterSpecial, IntList out) {
        for (String w : words(text)) {
            String word = "\u2581" + w;
            int before = out.size();
            IntList pieces = new IntList();
            boolean complete = true;
            for (int i = 0; i < word.length(); ) {
                int found = -1;
                for (int j = Math.min(word.length(), i + maxTokenLength); j > i; j--) {
                    int id = vocab.id(word.substring(i, j));
                    if (id != Vocabulary.NONE) {
                        pieces.add(id);
                        found = j;
                        break;
                    }
                }
                if (found < 0) {
                    complete = false;
                    break;
                }
                i = found;
            }
            if (complete) out.addAll(pieces.toArray());
            if (out.size() == before && vocab.unk != Vocabulary.NONE) out.add(vocab.unk);
        }
    }

    private List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (stripAccents && cp >= 0x80) cp = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD).codePointAt(0);
            int flags = CodepointClass.of(cp);
            if ((flags & CodepointClass.WHITESPACE) != 0) {
                finish(current, words);
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || (flags & CodepointClass.CONTROL) != 0) continue;
            if (stripAccents && (flags & CodepointClass.MARK) != 0) continue;
            int c = lowercase ? Character.toLowerCase(cp) : cp;
            if ((flags & CodepointClass.PUNCTUATION) != 0 || (cp < 0x7F && (flags & CodepointClass.SYMBOL) != 0) || isChinese(cp)) {
                finish(current, words);
                words.add(Character.toString(c));
            } else {
                current.appendCodePoint(c);
            }
        }
        finish(current, words);
        return words;
    }

    private static void finish(StringBuilder current, List<String> words) {
        if (!current.isEmpty()) {
            words.add(current.toString());
            current.setLength(0);
        }
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
