package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.EngineException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What each token contributes to output text, as bytes (llama.cpp's token_to_piece and
 * detokenize). Byte-level BPE tokens map their alphabet back to bytes; SentencePiece and WordPiece
 * tokens turn "▁" into a space; byte tokens {@code <0xNN>} are that byte; control and unknown
 * tokens are their text only when special tokens are rendered; unused ones are nothing.
 */
final class TokenPieces {
    private static final byte[] EMPTY = new byte[0];

    private final Vocabulary vocab;
    private final byte[][] pieces; // as rendered with special tokens shown

    TokenPieces(Vocabulary vocab) {
        this.vocab = vocab;
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) pieces[id] = render(id);
    }

    /** The bytes of one token; the returned array must not be modified. */
    byte[] piece(int id, boolean renderSpecial) {
        if (!vocab.contains(id)) {
            throw new EngineException("token id " + id + " is outside the vocabulary (0.." + (vocab.size() - 1) + ")");
        }
        if (!renderSpecial && (vocab.attrs[id] & (TokenAttr.UNKNOWN | TokenAttr.CONTROL)) != 0) return EMPTY;
        return pieces[id];
    }

    /**
     * The text of a token sequence as llama.cpp's detokenize gives it (without removing special
     * tokens): with a space prefix vocabulary the first token loses one leading space, and
     * vocabularies that clean up tokenization spaces get llama.cpp's three clean-up passes.
     */
    String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean removeSpace = vocab.addSpacePrefix;
        for (int id : ids) {
            byte[] p = piece(id, renderSpecial);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            out.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] bytes = out.toByteArray();
        int length = vocab.cleanSpaces ? cleanSpaces(bytes) : bytes.length;
        return Utf8.decode(bytes, 0, length);
    }

    private byte[] render(int id) {
        String text = vocab.texts[id];
        int attr = vocab.attrs[id];
        if ((attr & (TokenAttr.UNKNOWN | TokenAttr.CONTROL | TokenAttr.USER_DEFINED)) != 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if ((attr & TokenAttr.NORMAL) != 0) {
            return vocab.kind == Vocabulary.Kind.BPE ? byteLevelDecode(text) : text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        }
        if ((attr & TokenAttr.BYTE) != 0) {
            return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
        }
        return EMPTY;
    }

    /** Alphabet characters back to bytes; a character outside the alphabet is shown as llama.cpp shows it. */
    private static byte[] byteLevelDecode(String text) {
        byte[] direct = new byte[text.length()];
        for (int i = 0; i < direct.length; i++) {
            int b = ByteLevel.byteOf(text.charAt(i));
            if (b < 0) return byteLevelDecodeSlow(text);
            direct[i] = (byte) b;
        }
        return direct;
    }

    private static byte[] byteLevelDecodeSlow(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = ByteLevel.byteOf(cp);
            if (b >= 0) {
                out.write(b);
                continue;
            }
            StringBuilder unk = new StringBuilder("[UNK_BYTE_0x");
            for (byte u : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) unk.append(String.format("%02x", u & 0xFF));
            unk.append(text).append(']');
            out.writeBytes(unk.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * llama.cpp's clean_up_tokenization_spaces, in place: drops the space before ?!., and before
     * 's 'm 're 've, and the spaces around a lone apostrophe. Returns the new length.
     */
    static int cleanSpaces(byte[] t) {
        int total = t.length;
        int n1 = total;
        total = n1 > 0 ? 1 : 0;
        for (int i = 1; i < n1; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) total--;
            t[total++] = x;
        }
        int n2 = total;
        total = n2 > 0 ? 1 : 0;
        for (int i = 1; i < n2; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < n2 && t[i - 1] == ' ' && t[i + 1] == ' ') {
                total--;
                t[++i] = 0;
            }
            t[total++] = x;
        }
        int n3 = total;
        total = n3 > 0 ? 1 : 0;
        for (int i = 1; i < n3; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n3) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n3) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) total--;
                }
            }
            t[total++] = x;
        }
        return total;
    }
}
