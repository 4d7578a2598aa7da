package dev.edgebox.engine.tokenizer;

/**
 * Token attributes as bit flags, with llama.cpp's values. A token's GGUF type
 * (tokenizer.ggml.token_type) gives its first attribute; loading may add CONTROL to tokens that
 * look like control tokens, UNUSED to control tokens named "unused", and LSTRIP/RSTRIP for some
 * model families.
 */
final class TokenAttr {
    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;
    static final int LSTRIP = 1 << 7;
    static final int RSTRIP = 1 << 8;

    private TokenAttr() {}

    /** The attribute of a GGUF token type: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. */
    static int ofGgufType(int type) {
        return switch (type) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }
}
