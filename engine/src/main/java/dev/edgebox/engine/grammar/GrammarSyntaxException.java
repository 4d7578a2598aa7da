package dev.edgebox.engine.grammar;

/** Grammar or regular expression text that does not parse; line and column are 1-based. */
public final class GrammarSyntaxException extends GrammarException {
    private final int line;
    private final int column;

    GrammarSyntaxException(String what, String kind, String source, int offset) {
        this(what, kind, lineOf(source, offset), columnOf(source, offset));
    }

    private GrammarSyntaxException(String what, String kind, int line, int column) {
        super(kind + " error at line " + line + ", column " + column + ": " + what);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    private static int lineOf(String s, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, s.length()); i++) if (s.charAt(i) == '\n') line++;
        return line;
    }

    private static int columnOf(String s, int offset) {
        int start = s.lastIndexOf('\n', Math.min(offset, s.length()) - 1) + 1;
        return s.codePointCount(start, Math.min(offset, s.length())) + 1;
    }
}
