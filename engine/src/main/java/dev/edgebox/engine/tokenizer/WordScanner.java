package dev.edgebox.engine.tokenizer;

import static dev.edgebox.engine.tokenizer.CodepointClass.LETTER;
import static dev.edgebox.engine.tokenizer.CodepointClass.NUMBER;
import static dev.edgebox.engine.tokenizer.CodepointClass.WHITESPACE;

/**
 * Hand-written scanners for the two pre-tokenizer regexes llama.cpp does not run through a regex
 * engine either, with the same decisions in the same order (so the same splits):
 * <ul>
 * <li>GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}</li>
 * <li>Llama 3 family: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,k}|
 *     ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+} with k = 3 (Llama 3) or 1 (Qwen2, whose
 *     regex is otherwise the same).</li>
 * </ul>
 * A scanner is an order of magnitude faster than java.util.regex on this hot path.
 */
final class WordScanner implements SplitStage {
    private final boolean llama3;
    private final int maxDigits;

    private WordScanner(boolean llama3, int maxDigits) {
        this.llama3 = llama3;
        this.maxDigits = maxDigits;
    }

    static WordScanner gpt2() {
        return new WordScanner(false, Integer.MAX_VALUE);
    }

    static WordScanner llama3(int maxDigits) {
        return new WordScanner(true, maxDigits);
    }

    @Override
    public IntList split(SplitText text, IntList segments) {
        IntList out = new IntList(segments.size() * 4 + 4);
        int start = 0;
        for (int s = 0; s < segments.size(); s++) {
            int end = start + segments.get(s);
            Segment seg = new Segment(text.cps, start, end, out);
            if (llama3) seg.scanLlama3(maxDigits);
            else seg.scanGpt2();
            start = end;
        }
        return out;
    }

    /** Scanning state inside one segment; positions outside it have no code point and flags 0. */
    private static final class Segment {
        private static final int NONE = -1;
        private final int[] cps;
        private final int ini;
        private final int end;
        private final IntList out;
        private int emitted;

        Segment(int[] cps, int ini, int end, IntList out) {
            this.cps = cps;
            this.ini = ini;
            this.end = end;
            this.out = out;
            this.emitted = ini;
        }

        int cp(int pos) {
            return pos >= ini && pos < end ? cps[pos] : NONE;
        }

        int flags(int pos) {
            return pos >= ini && pos < end ? CodepointClass.of(cps[pos]) : 0;
        }

        /** Ends the current word at pos; returns pos. Empty words are not emitted. */
        int emit(int pos) {
            if (pos > emitted) out.add(pos - emitted);
            emitted = pos;
            return pos;
        }

        static boolean isWordlike(int flags) {
            return (flags & (WHITESPACE | LETTER | NUMBER)) != 0;
        }

        /** The length of a contraction ('s, 't, 're, ...) at pos, or 0. */
        int contraction(int pos, boolean ignoreCase) {
            if (cps[pos] != '\'' || pos + 1 >= end) return 0;
            int next = lower(cp(pos + 1), ignoreCase);
            if (next == 's' || next == 't' || next == 'm' || next == 'd') return 2;
            if (pos + 2 < end) {
                int next2 = lower(cp(pos + 2), ignoreCase);
                if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l')) return 3;
            }
            return 0;
        }

        private static int lower(int cp, boolean ignoreCase) {
            // Only ASCII letters can lower-case to the letters of a contraction.
            return ignoreCase && cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }

        /** Whitespace run at pos: \s+(?!\S) leaves the last one for the next word, \s+ takes all. */
        int whitespace(int pos) {
            int n = 0;
            while ((flags(pos + n) & WHITESPACE) != 0) n++;
            if (n > 1 && cp(pos + n) != NONE) return emit(pos + n - 1);
            if (n > 0) return emit(pos + n);
            return emit(pos + 1);
        }

        void scanGpt2() {
            int pos = ini;
            while (pos < end) {
                int cpt = cps[pos];
                int flags = flags(pos);
                int c = contraction(pos, false);
                if (c > 0) {
                    pos = emit(pos + c);
                    continue;
                }
                int flags2 = cpt == ' ' ? flags(pos + 1) : flags;
                if ((flags2 & LETTER) != 0 || (flags2 & NUMBER) != 0) {
                    int kind = (flags2 & LETTER) != 0 ? LETTER : NUMBER;
                    if (cpt == ' ') pos++;
                    while ((flags(pos) & kind) != 0) pos++;
                    pos = emit(pos);
                    continue;
                }
                if (!isWordlike(flags2) && flags2 != 0) {
                    if (cpt == ' ') pos++;
                    while (!isWordlike(flags(pos)) && flags(pos) != 0) pos++;
                    pos = emit(pos);
                    continue;
                }
                pos = whitespace(pos);
            }
        }

        void scanLlama3(int maxDigits) {
            int pos = ini;
            while (pos < end) {
                int cpt = cps[pos];
                int flags = flags(pos);
                int c = contraction(pos, true);
                if (c > 0) {
                    pos = emit(pos + c);
                    continue;
                }
                // [^\r\n\p{L}\p{N}]?\p{L}+
                if (!(cpt == '\r' || cpt == '\n' || (flags & NUMBER) != 0)
                        && ((flags & LETTER) != 0 || (flags(pos + 1) & LETTER) != 0)) {
                    pos++;
                    while ((flags(pos) & LETTER) != 0) pos++;
                    pos = emit(pos);
                    continue;
                }
                // \p{N}{1,k}
                if ((flags & NUMBER) != 0) {
                    int groupStart = pos;
                    while ((flags(pos) & NUMBER) != 0) {
                        pos++;
                        if (pos - groupStart >= maxDigits) groupStart = emit(pos);
                    }
                    pos = emit(pos);
                    continue;
                }
                //  ?[^\s\p{L}\p{N}]+[\r\n]*
                int flags2 = cpt == ' ' ? flags(pos + 1) : flags;
                if (!isWordlike(flags2) && flags != 0) {
                    if (cpt == ' ') pos++;
                    while (!isWordlike(flags(pos)) && flags(pos) != 0) pos++;
                    while (cp(pos) == '\r' || cp(pos) == '\n') pos++;
                    pos = emit(pos);
                    continue;
                }
                // \s*[\r\n]+ ends at the last line break of the whitespace run
                int n = 0;
                int afterLastBreak = NONE;
                while ((flags(pos + n) & WHITESPACE) != 0) {
                    int w = cps[pos + n];
                    if (w == '\r' || w == '\n') afterLastBreak = pos + n + 1;
                    n++;
                }
                if (afterLastBreak != NONE) {
                    pos = emit(afterLastBreak);
                    continue;
                }
                pos = whitespace(pos);
            }
        }
    }
}
