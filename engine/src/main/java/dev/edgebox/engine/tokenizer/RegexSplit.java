package dev.edgebox.engine.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer step given as a regex, run the way llama.cpp runs regexes it has no scanner
 * for: every match and every gap between matches becomes a segment. A regex that uses Unicode
 * categories (\p{L}, \p{N}, \p{P}, \p{S}, \p{M}) runs on the collapsed text, where each non-ASCII
 * code point is a stand-in for its category and \p{X} becomes a class of that stand-in plus the
 * ASCII characters llama.cpp puts in X (its ASCII \p{P} and \p{S} leave out '~', for instance).
 * Other regexes run on the text itself with non-ASCII whitespace as \u000B, so that {@code \s}
 * keeps its ASCII meaning yet still matches them.
 */
final class RegexSplit implements SplitStage {
    private static final Map<String, String> CATEGORY_CLASSES = Map.of(
            "N", "\\uE0010-9",
            "L", "\\uE002A-Za-z",
            "P", "\\uE003\\x21-\\x23\\x25-\\x2A\\x2C-\\x2F\\x3A-\\x3B\\x3F-\\x40\\x5B-\\x5D\\x5F\\x7B\\x7D",
            "M", "\\uE004",
            "S", "\\uE005\\x24\\x2B\\x3C-\\x3E\\x5E\\x60\\x7C");

    private final Pattern pattern;
    private final boolean collapsed;
    private final String source;

    /** @param regex a regex in java.util.regex syntax; \p{L}, \p{Lu}, ..., \p{N}, \p{P}, \p{S}, \p{M} have llama.cpp's meaning */
    RegexSplit(String regex) {
        this.source = regex;
        this.collapsed = regex.contains("\\p{");
        this.pattern = Pattern.compile(collapsed ? translateCategories(regex) : regex);
    }

    @Override
    public IntList split(SplitText text, IntList segments) {
        IntList out = new IntList(segments.size() * 4 + 4);
        String view = collapsed ? text.collapsed() : text.wide();
        Matcher m = pattern.matcher(view);
        int start = 0;
        for (int s = 0; s < segments.size(); s++) {
            int end = start + segments.get(s);
            int from = collapsed ? start : text.wideIndex(start);
            int to = collapsed ? end : text.wideIndex(end);
            m.region(from, to);
            int last = start;
            while (m.find()) {
                int ms = collapsed ? m.start() : text.cpIndexOfWide(m.start());
                int me = collapsed ? m.end() : text.cpIndexOfWide(m.end());
                if (ms > last) out.add(ms - last);
                if (me > ms) out.add(me - ms);
                last = Math.max(last, me);
            }
            if (end > last) out.add(end - last);
            start = end;
        }
        return out;
    }

    @Override
    public String toString() {
        return source;
    }

    /** Replaces \p{X} by the collapsed class of X, bracketed unless already inside a class. */
    static String translateCategories(String regex) {
        StringBuilder sb = new StringBuilder(regex.length() + 64);
        int classDepth = 0; // java.util.regex classes nest: [a-z&&[^x]]
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                if (regex.charAt(i + 1) == 'p' && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
                    int close = regex.indexOf('}', i + 3);
                    String name = regex.substring(i + 3, close);
                    String cls = CATEGORY_CLASSES.get(name.substring(0, 1));
                    if (cls == null || name.length() > 2) throw new IllegalArgumentException("unsupported category " + name);
                    sb.append(classDepth > 0 ? cls : "[" + cls + "]");
                    i = close;
                    continue;
                }
                sb.append(c).append(regex.charAt(++i));
                continue;
            }
            if (c == '[') classDepth++;
            else if (c == ']' && classDepth > 0) classDepth--;
            sb.append(c);
        }
        return sb.toString();
    }
}
