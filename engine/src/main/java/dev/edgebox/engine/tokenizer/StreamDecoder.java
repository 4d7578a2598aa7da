package dev.edgebox.engine.tokenizer;

import java.util.Arrays;

/**
 * Turns generated tokens into text as they come, never emitting half a character: bytes of a
 * UTF-8 sequence that a later token may still complete are held back. Invalid bytes become U+FFFD
 * as soon as no continuation can make them valid; {@link #flush()} settles whatever is left.
 *
 * <p>Each token contributes its piece as llama.cpp's token_to_piece gives it (what llama.cpp's
 * server streams): no leading space is removed and no clean-up of tokenization spaces is done,
 * since the text continues a prompt. Not thread-safe; use one per generation.
 */
public final class StreamDecoder {
    private final TokenPieces pieces;
    private final boolean renderSpecial;
    private byte[] pending = new byte[16];
    private int pendingLength;

    StreamDecoder(TokenPieces pieces, boolean renderSpecial) {
        this.pieces = pieces;
        this.renderSpecial = renderSpecial;
    }

    /** Adds one token; returns the text that is now complete (often empty while a character is split). */
    public String feed(int id) {
        byte[] piece = pieces.piece(id, renderSpecial);
        if (pendingLength + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + piece.length));
        }
        System.arraycopy(piece, 0, pending, pendingLength, piece.length);
        pendingLength += piece.length;
        StringBuilder out = new StringBuilder(pendingLength);
        int stop = Utf8.decode(pending, 0, pendingLength, out, true);
        System.arraycopy(pending, stop, pending, 0, pendingLength - stop);
        pendingLength -= stop;
        return out.toString();
    }

    /** Ends the stream: bytes still waiting for a continuation become U+FFFD. */
    public String flush() {
        String rest = Utf8.decode(pending, 0, pendingLength);
        pendingLength = 0;
        return rest;
    }

    /** True if bytes of an unfinished character are being held back. */
    public boolean hasPending() {
        return pendingLength > 0;
    }
}
