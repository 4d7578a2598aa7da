package dev.edgebox.engine.grammar;

/**
 * How generated JSON may be laid out. Whitespace between tokens is bounded so a model cannot
 * loop on spaces: at each place JSON allows it, either nothing, one space, or a newline followed
 * by at most {@code maxIndent} spaces or tabs (room for pretty-printed output).
 *
 * @param whitespace false for compact JSON only (fewest tokens)
 * @param maxIndent  spaces/tabs allowed after a newline
 */
public record JsonOptions(boolean whitespace, int maxIndent) {
    public static final JsonOptions DEFAULT = new JsonOptions(true, 20);
    public static final JsonOptions COMPACT = new JsonOptions(false, 0);

    public JsonOptions {
        if (maxIndent < 0 || maxIndent > 1000) throw new GrammarException("maxIndent must be in 0..1000, got " + maxIndent);
    }
}
