package dev.edgebox.knowledge.chunk;

import dev.edgebox.knowledge.document.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a paragraph into sentences: after 。！？； (and their ASCII forms when a CJK text uses them),
 * and after . ! ? followed by a space and something that can start a sentence. "e.g. this" and
 * "3.5" stay whole.
 */
public final class SentenceSplitter {
    private SentenceSplitter() {}

    public static List<String> split(String paragraph) {
        List<String> out = new ArrayList<>();
        int start = 0, n = paragraph.length();
        for (int i = 0; i < n; i++) {
            char c = paragraph.charAt(i);
            int end = -1;
            if (c == '。' || c == '！' || c == '？' || c == '；' || c == '…' && i + 1 < n && paragraph.charAt(i + 1) != '…') {
                end = closeQuotes(paragraph, i + 1);
            } else if ((c == '.' || c == '!' || c == '?') && endsLatinSentence(paragraph, i)) {
                end = closeQuotes(paragraph, i + 1);
            }
            if (end > 0) {
                add(out, paragraph.substring(start, end));
                start = end;
                i = end - 1;
            }
        }
        add(out, paragraph.substring(start));
        return out;
    }

    private static boolean endsLatinSentence(String s, int i) {
        int j = closeQuotes(s, i + 1);
        if (j >= s.length()) return true;
        if (!Character.isWhitespace(s.charAt(j))) return Text.isCjk(s.charAt(j)); // "3.5", "e.g.x", "end.中文"
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
        if (j >= s.length()) return true;
        int next = s.codePointAt(j);
        return !Character.isLowerCase(next) && (s.charAt(i) != '.' || !isInitial(s, i));
    }

    /** "J. Smith", "U.S. Army": a single capital letter before the dot is not a sentence end. */
    private static boolean isInitial(String s, int dot) {
        return dot >= 1 && Character.isUpperCase(s.charAt(dot - 1)) && (dot == 1 || !Character.isLetter(s.charAt(dot - 2)));
    }

    private static int closeQuotes(String s, int i) {
        while (i < s.length() && "\"'”’)）」』】".indexOf(s.charAt(i)) >= 0) i++;
        return i;
    }

    private static void add(List<String> out, String sentence) {
        String t = sentence.strip();
        if (!t.isEmpty()) out.add(t);
    }
}
