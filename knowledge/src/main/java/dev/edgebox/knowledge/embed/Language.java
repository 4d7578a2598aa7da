package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.KnowledgeException;
import java.util.Locale;

/**
 * The languages the bundled embedders are made for, and how to tell which one a text is in.
 *
 * <p>A text counts as Chinese as soon as CJK characters make up {@value #CJK_SHARE} of its words
 * (every CJK character and every Latin word counting one), else as English. The threshold is low
 * on purpose: the Chinese model reads English too, if less well, while the English model's
 * vocabulary lacks most Chinese characters, so a mixed text belongs to the Chinese model.
 */
public enum Language {
    /** Chinese, and Chinese mixed with English: bge-small-zh. */
    ZH,
    /** English (and text in other Latin-script languages): bge-small-en. */
    EN;

    /** The share of CJK characters among words from which a text is Chinese. */
    public static final double CJK_SHARE = 0.05;

    /** The bundled embedder made for this language. */
    public String embedder() {
        return this == ZH ? BgeEmbedder.ZH.id() : BgeEmbedder.EN.id();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "zh" or "en" (case-insensitive). */
    public static Language parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "zh" -> ZH;
            case "en" -> EN;
            default -> throw new KnowledgeException("unknown language '" + s + "'; expected zh (Chinese, or Chinese and English) or en (English)");
        };
    }

    /** The language of a text; a text without letters counts as Chinese, the default model's language. */
    public static Language detect(CharSequence text) {
        Words w = Words.count(text);
        if (w.total() == 0) return ZH;
        return w.cjkShare() >= CJK_SHARE ? ZH : EN;
    }

    /** CJK characters (Han, kana, Hangul) and runs of Latin letters in a text. */
    public record Words(int cjk, int latin) {
        public static Words count(CharSequence text) {
            int cjk = 0, latin = 0;
            boolean inWord = false;
            for (int i = 0; i < text.length(); ) {
                int c = Character.codePointAt(text, i);
                i += Character.charCount(c);
                Character.UnicodeScript s = Character.UnicodeScript.of(c);
                boolean latinLetter = s == Character.UnicodeScript.LATIN && Character.isLetter(c);
                if (latinLetter && !inWord) latin++;
                inWord = latinLetter || (inWord && Character.isDigit(c));
                if (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
                        || s == Character.UnicodeScript.HANGUL) {
                    cjk++;
                }
            }
            return new Words(cjk, latin);
        }

        public int total() {
            return cjk + latin;
        }

        /** CJK characters as a share of all words, 0 to 1 (0 for no words). */
        public double cjkShare() {
            return total() == 0 ? 0 : (double) cjk / total();
        }
    }
}
