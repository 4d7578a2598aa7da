package dev.edgebox.knowledge.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Checks on parsed documents: where a sentence is, and that sentences come in reading order. */
final class DocumentAssert {
    private DocumentAssert() {}

    /** The block that is the text, else the first holding it (whitespace-insensitive); fails when none does. */
    static Block blockWith(ParsedDocument doc, String text) {
        String wanted = Text.squash(text);
        for (Block b : doc.blocks()) if (b.text().equals(wanted)) return b;
        for (Block b : doc.blocks()) if (b.text().contains(wanted)) return b;
        return fail("no block contains \"" + text + "\"; blocks were:\n" + doc.text());
    }

    static void assertOnPage(ParsedDocument doc, int page, String text) {
        assertEquals(page, blockWith(doc, text).page(), "page of \"" + text + "\"");
    }

    static void assertHeading(ParsedDocument doc, int level, String text) {
        Block b = blockWith(doc, text);
        assertEquals(Block.Kind.HEADING, b.kind(), "\"" + text + "\" should be a heading");
        assertEquals(level, b.level(), "level of heading \"" + text + "\"");
    }

    static void assertRow(ParsedDocument doc, String row) {
        Block b = blockWith(doc, row);
        assertEquals(Block.Kind.TABLE_ROW, b.kind(), "\"" + row + "\" should be a table row");
    }

    /** Each text comes after the previous one in the document (same block: later offset). */
    static void assertInOrder(ParsedDocument doc, String... texts) {
        String all = String.join("\n", doc.blocks().stream().map(Block::text).toList());
        int at = -1;
        for (String t : texts) {
            int i = all.indexOf(Text.squash(t), at + 1);
            assertTrue(i > at, "\"" + t + "\" should come after the previous sentence; text was:\n" + all);
            at = i;
        }
    }

    static void assertBlocks(ParsedDocument doc, List<String> absent) {
        for (String t : absent) {
            assertTrue(doc.blocks().stream().noneMatch(b -> b.text().contains(t)), "\"" + t + "\" should have been dropped");
        }
    }
}
