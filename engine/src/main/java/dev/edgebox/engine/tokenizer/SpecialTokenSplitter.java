package dev.edgebox.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the text of special tokens out of the input before tokenizing (llama.cpp's
 * tokenizer_st_partition). Tokens are tried longest first; each one splits every remaining text
 * fragment at all its occurrences. User-defined tokens are always matched; control and unknown
 * tokens only when parsing special tokens is asked for. A token with LSTRIP/RSTRIP also eats the
 * whitespace before/after it.
 */
final class SpecialTokenSplitter {
    /** A piece of the input: either a special token or text still to tokenize. */
    record Fragment(int token, String text) {
        static Fragment of(int token) {
            return new Fragment(token, null);
        }

        boolean isText() {
            return text != null;
        }
    }

    private final Vocabulary vocab;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        fragments.add(new Fragment(-1, text));
        for (int id : vocab.specialTokens) {
            int attr = vocab.attrs[id];
            if (!parseSpecial && (attr & (TokenAttr.CONTROL | TokenAttr.UNKNOWN)) != 0) continue;
            String special = vocab.texts[id];
            List<Fragment> next = null;
            for (int f = 0; f < fragments.size(); f++) {
                Fragment fragment = fragments.get(f);
                if (!fragment.isText() || !fragment.text.contains(special)) {
                    if (next != null) next.add(fragment);
                    continue;
                }
                if (next == null) next = new ArrayList<>(fragments.subList(0, f));
                cut(fragment.text, special, id, attr, next);
            }
            if (next != null) fragments = next;
        }
        return fragments;
    }

    private static void cut(String text, String special, int id, int attr, List<Fragment> out) {
        int from = 0;
        int end = text.length();
        while (from < end) {
            int match = text.indexOf(special, from);
            if (match < 0) {
                out.add(new Fragment(-1, text.substring(from, end)));
                return;
            }
            int leftEnd = match;
            if ((attr & TokenAttr.LSTRIP) != 0) {
                while (leftEnd > from && isSpace(text.charAt(leftEnd - 1))) leftEnd--;
            }
            if (leftEnd > from) out.add(new Fragment(-1, text.substring(from, leftEnd)));
            out.add(Fragment.of(id));
            from = match + special.length();
            if ((attr & TokenAttr.RSTRIP) != 0) {
                while (from < end && isSpace(text.charAt(from))) from++;
            }
        }
    }

    /** C's isspace in the "C" locale, which is what llama.cpp strips. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
