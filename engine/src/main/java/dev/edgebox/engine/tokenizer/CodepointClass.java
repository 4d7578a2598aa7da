package dev.edgebox.engine.tokenizer;

/**
 * Unicode classes of code points as llama.cpp's pre-tokenizers see them: one general category per
 * code point (\p{N}, \p{L}, \p{Z}, \p{M}, \p{P}, \p{S}, \p{C}, or undefined for unassigned), plus
 * a separate whitespace bit for the White_Space property (which is what regex {@code \s} means
 * there: \t-\r, space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F, U+3000).
 * The categories come from the JDK's Unicode tables, which may be a newer Unicode version than
 * llama.cpp's; they only differ on recently added characters.
 */
final class CodepointClass {
    static final int UNDEFINED = 1;
    static final int NUMBER = 2;
    static final int LETTER = 4;
    static final int SEPARATOR = 8;
    static final int MARK = 16;
    static final int PUNCTUATION = 32;
    static final int SYMBOL = 64;
    static final int CONTROL = 128;
    static final int WHITESPACE = 256;

    private static final short[] BMP = new short[0x10000];

    static {
        for (int cp = 0; cp < BMP.length; cp++) BMP[cp] = (short) compute(cp);
    }

    private CodepointClass() {}

    /** The flags of a code point; 0 is reserved for "no code point" (outside the text). */
    static int of(int cp) {
        if (cp >= 0 && cp < 0x10000) return BMP[cp];
        return cp >= 0 && cp <= Character.MAX_CODE_POINT ? compute(cp) : UNDEFINED;
    }

    static boolean isWhitespace(int cp) {
        return (of(cp) & WHITESPACE) != 0;
    }

    private static int compute(int cp) {
        int category = switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> SYMBOL;
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> CONTROL;
            default -> UNDEFINED;
        };
        return whiteSpaceProperty(cp) ? category | WHITESPACE : category;
    }

    private static boolean whiteSpaceProperty(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
