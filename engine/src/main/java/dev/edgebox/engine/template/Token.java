package dev.edgebox.engine.template;

/**
 * One lexical token. {@code value} is the decoded literal for STRING, INTEGER and FLOAT tokens;
 * line and column are 1-based and point at the token's first character.
 */
record Token(Kind kind, String text, Object value, int line, int column) {
    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isName(String name) {
        return kind == Kind.NAME && text.equals(name);
    }

    boolean isOperator(String op) {
        return kind == Kind.OPERATOR && text.equals(op);
    }

    /** How Jinja2 names a token in "unexpected ..." messages. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_END -> "end of statement block";
            case VARIABLE_BEGIN -> "begin of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case DATA -> "template data";
            default -> text;
        };
    }
}
