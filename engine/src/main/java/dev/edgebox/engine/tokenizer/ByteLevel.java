package dev.edgebox.engine.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's byte-level alphabet: every byte is shown as one printable code point, so that BPE
 * vocabularies can hold arbitrary bytes as text. Printable Latin-1 bytes stand for themselves;
 * the other 68 bytes (controls, space, 0x7F-0xA0, 0xAD) take 256, 257, ... in byte order.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a code point of the alphabet stands for, or -1 if it is not in the alphabet. */
    static int byteOf(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }

    /** The alphabet form of UTF-8 bytes. */
    static String encode(byte[] bytes, int from, int to) {
        char[] c = new char[to - from];
        for (int i = from; i < to; i++) c[i - from] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(c);
    }
}
