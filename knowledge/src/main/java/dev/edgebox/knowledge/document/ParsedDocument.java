package dev.edgebox.knowledge.document;

import java.util.List;

/**
 * The text of one document as blocks in reading order.
 *
 * @param pages number of pages or slides (0 when the format has none)
 */
public record ParsedDocument(PageUnit unit, int pages, List<Block> blocks) {
    public ParsedDocument {
        blocks = List.copyOf(blocks);
    }

    /** All block texts joined by newlines: handy for tests and previews. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) sb.append(b.text()).append('\n');
        return sb.toString();
    }
}
