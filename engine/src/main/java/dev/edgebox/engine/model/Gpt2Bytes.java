package dev.edgebox.engine.model;

/** GPT-2's mapping of bytes to printable characters (byte-level BPE vocabularies spell tokens with it). */
final class Gpt2Bytes {
    private Gpt2Bytes() {}

    static int[] byteToChar() {
        int[] map = new int[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        int next = 256;
        for (int b = 0; b < 256; b++) map[b] = printable[b] ? b : next++;
        return map;
    }
}
