package dev.edgebox.engine.tokenizer;

/** Turns one fragment of plain text (no special tokens in it) into token ids. */
interface TextEncoder {
    /**
     * @param text         the fragment
     * @param afterSpecial the fragment starts the input or follows a special token
     * @param out          where the ids go
     */
    void encode(String text, boolean afterSpecial, IntList out);
}
