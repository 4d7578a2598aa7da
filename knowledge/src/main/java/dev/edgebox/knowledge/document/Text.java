package dev.edgebox.knowledge.document;

import java.util.List;

/** Small text helpers shared by the parsers: whitespace, line joining that knows CJK. */
public final class Text {
    private Text() {}

    /** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
    public static String squash(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0' || c == '\u3000' || c == '\u200b') {
                space = sb.length() > 0;
            } else {
                if (space) sb.append(' ');
                space = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Chinese, Japanese and Korean characters and their full-width punctuation. */
    public static boolean isCjk(int c) {
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL
                || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);
    }

    /**
     * Joins the visual lines of one paragraph: a hyphen that broke an English word is removed, CJK
     * lines are joined without a space, other lines with one.
     */
    public static String joinLines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String raw : lines) {
            String line = squash(raw);
            if (line.isEmpty()) continue;
            if (sb.isEmpty()) {
                sb.append(line);
                continue;
            }
            char last = sb.charAt(sb.length() - 1);
            char first = line.charAt(0);
            boolean brokenWord = last == '-' && sb.length() > 1 && Character.isLetter(sb.charAt(sb.length() - 2))
                    && Character.isLetter(first);
            if (brokenWord && Character.isLowerCase(sb.charAt(sb.length() - 2)) && Character.isLowerCase(first)) {
                sb.setLength(sb.length() - 1); // "exam-" + "ple"
            } else if (brokenWord) {
                // "Stress-" + "Engineered": a compound, keep the hyphen
            } else if (!(isCjk(last) && isCjk(first))) {
                sb.append(' ');
            }
            sb.append(line);
        }
        return sb.toString();
    }

    /** Joins table cells into one row line. */
    public static String row(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (String c : cells) {
            if (!sb.isEmpty()) sb.append(" | ");
            sb.append(squash(c));
        }
        return sb.toString();
    }
}
