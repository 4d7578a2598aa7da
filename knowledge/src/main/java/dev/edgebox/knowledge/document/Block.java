package dev.edgebox.knowledge.document;

/**
 * One unit of a document in reading order: a heading, a paragraph or a table row. The chunker keeps a
 * table row whole and starts new chunks at headings.
 *
 * @param level heading depth (1 = top) for headings, 0 otherwise
 * @param page 1-based page or slide the block starts on, 0 when the format has none
 */
public record Block(Kind kind, String text, int level, int page) {

    public enum Kind { HEADING, PARAGRAPH, TABLE_ROW }

    public Block {
        if (text == null) throw new IllegalArgumentException("block text is null");
    }

    public static Block heading(int level, String text, int page) {
        return new Block(Kind.HEADING, text, Math.max(1, level), page);
    }

    public static Block paragraph(String text, int page) {
        return new Block(Kind.PARAGRAPH, text, 0, page);
    }

    public static Block tableRow(String text, int page) {
        return new Block(Kind.TABLE_ROW, text, 0, page);
    }
}
