package dev.edgebox.engine.tokenizer;

/**
 * UTF-8 decoding with one replacement rule everywhere: each maximal ill-formed subpart becomes one
 * U+FFFD (the Unicode recommendation, and what Python's errors="replace" does). Streaming and
 * whole-text decoding share it, so cutting the bytes anywhere gives the same text.
 */
final class Utf8 {
    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    static String decode(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        decode(bytes, from, to, sb, false);
        return sb.toString();
    }

    /**
     * Appends the decoded bytes to {@code out}.
     *
     * @param keepUnfinished leave a trailing sequence that is still valid but cut short undecoded
     * @return where decoding stopped: {@code to}, or the start of the unfinished sequence that was kept
     */
    static int decode(byte[] b, int from, int to, StringBuilder out, boolean keepUnfinished) {
        int i = from;
        while (i < to) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            }
            int need;
            int cp;
            int lo = 0x80;
            int hi = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
                cp = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                cp = lead & 0x0F;
                if (lead == 0xE0) lo = 0xA0;
                if (lead == 0xED) hi = 0x9F;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                cp = lead & 0x07;
                if (lead == 0xF0) lo = 0x90;
                if (lead == 0xF4) hi = 0x8F;
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int j = i + 1;
            int got = 0;
            while (got < need && j < to) {
                int c = b[j] & 0xFF;
                if (c < lo || c > hi) break;
                cp = (cp << 6) | (c & 0x3F);
                lo = 0x80;
                hi = 0xBF;
                j++;
                got++;
            }
            if (got == need) {
                out.appendCodePoint(cp);
            } else if (j == to && keepUnfinished) {
                return i;
            } else {
                out.append(REPLACEMENT);
            }
            i = j;
        }
        return to;
    }

    /** The string with unpaired surrogates replaced by U+FFFD, so that it has a UTF-8 form. */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) return replaceLoneSurrogates(s);
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return sb.toString();
    }
}
