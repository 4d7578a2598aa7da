package dev.edgebox.knowledge.document;

import static dev.edgebox.knowledge.document.DocumentAssert.assertHeading;
import static dev.edgebox.knowledge.document.DocumentAssert.assertInOrder;
import static dev.edgebox.knowledge.document.DocumentAssert.assertOnPage;
import static dev.edgebox.knowledge.document.DocumentAssert.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.testing.Shared;
import org.junit.jupiter.api.Test;

class DocxParserTest {
    private static ParsedDocument parse(String relative) {
        return new DocxParser().parse(SourceFile.read(Shared.require("data/docs/" + relative)));
    }

    @Test
    void headingsParagraphsAndTableRowsInOrderWithPages() {
        ParsedDocument doc = parse("tika/testWORD.docx");
        assertHeading(doc, 1, "Sample Word Document Title");
        assertHeading(doc, 1, "Heading Level 1");
        assertHeading(doc, 2, "Heading Level 2");
        assertHeading(doc, 3, "Heading Level 3");
        assertRow(doc, "This is a table");
        assertInOrder(doc, "Heading Level 3", "This is a sample Microsoft Word Document.",
                "This document includes text that is BOLD and ITALIC.", "This is a table", "The table has things in it",
                "This paragraph is in the default text style", "This one is in a different one, the Signature style");
        assertOnPage(doc, 1, "This is a sample Microsoft Word Document.");
        assertOnPage(doc, 2, "This one is in a different one, the Signature style");
    }

    @Test
    void footnotesAndEndnotesComeAtTheEndNotInsideTheSentence() {
        ParsedDocument various = parse("tika/testWORD_various.docx");
        assertEquals("Footnote appears here", various.blocks().getFirst().text());
        assertRow(various, "Row 1 Col 1 | Row 1 Col 2 | Row 1 Col 3");
        assertEquals("This is a footnote.", various.blocks().getLast().text());

        ParsedDocument endnotes = parse("tika/testWORD_endnote_table.docx");
        assertEquals(21, endnotes.pages());
        assertOnPage(endnotes, 21, "Endnote Test – The quick brown fox jumps over the lazy dog");
        assertTrue(endnotes.blocks().stream().noneMatch(b -> b.text().contains("endnoteRef")));
    }

    @Test
    void chineseHeadingsFromOutlineLevelsAndTablesAsRows() {
        ParsedDocument doc = parse("mineru/docx_01.docx");
        assertHeading(doc, 1, "有序列表构成的章节标题");
        assertHeading(doc, 2, "显式空白字符表示");
        assertOnPage(doc, 3, "后面是正常的章节标题");
        assertRow(doc, "Leaves | Ash, Elm, Maple | 50");
        assertOnPage(doc, 8, "Leaves | Ash, Elm, Maple | 50");
        assertInOrder(doc, "MinerU supports DOCX document parsing now", "有序列表构成的章节标题", "无序列表项1：bold 粗体文本",
                "Food | Calories per portion", "Leaves | Ash, Elm, Maple | 50", "Berries | Blueberry, Strawberry, Cranberry | 150",
                "4 参考文献");

        ParsedDocument table = parse("langchain-chatchat/ocr_test.docx");
        assertInOrder(table, "我是文字", "我是表格1 | 我是表格2", "我是表格3 | 我是表格4");
        assertRow(table, "我是表格3 | 我是表格4");
    }

    @Test
    void notAWordFileIsAClearError() {
        var e = assertThrows(KnowledgeException.class, () -> new DocxParser().parse(new SourceFile("x.docx", new byte[] {1, 2, 3})));
        assertTrue(e.getMessage().startsWith("x.docx is not a readable Word .docx file"), e.getMessage());
    }
}
