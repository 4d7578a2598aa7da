package dev.edgebox.knowledge.document;

import static dev.edgebox.knowledge.document.DocumentAssert.assertHeading;
import static dev.edgebox.knowledge.document.DocumentAssert.assertInOrder;
import static dev.edgebox.knowledge.document.DocumentAssert.assertOnPage;
import static dev.edgebox.knowledge.document.DocumentAssert.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.edgebox.knowledge.testing.Shared;
import org.junit.jupiter.api.Test;

class PptxParserTest {
    private static ParsedDocument parse(String relative) {
        return new PptxParser().parse(SourceFile.read(Shared.require("data/docs/" + relative)));
    }

    @Test
    void slidesInOrderWithTitlesAsHeadings() {
        ParsedDocument doc = parse("tika/testPPT.pptx");
        assertEquals(PageUnit.SLIDE, doc.unit());
        assertEquals(3, doc.pages());
        assertHeading(doc, 1, "Attachment Test");
        assertOnPage(doc, 1, "Attachment Test");
        assertOnPage(doc, 2, "This is a test file data with the same content as every other file being tested for tika content parsing.");
        assertOnPage(doc, 3, "Different words to test against");
        assertInOrder(doc, "Different words to test against", "Quest", "Hello", "Watershed", "Avalanche");
    }

    @Test
    void tablesNotesAndChineseSlides() {
        ParsedDocument doc = parse("mineru/pptx_01.pptx");
        assertEquals(6, doc.pages());
        assertHeading(doc, 1, "Test Table Slide");
        assertRow(doc, "R1 | True | False");
        assertOnPage(doc, 2, "Some notes on the second slide.");
        assertInOrder(doc, "Second slide title", "A rectangle shape with this text inside.", "Let’s introduce a list", "Some notes on the second slide.");
        assertOnPage(doc, 5, "第5页标题");
        assertInOrder(doc, "多级列表和中断有序列表", "第一条标题", "内容1", "内容2", "第二条标题", "这里是插入在列表中间的普通正文，不应作为列表项");

        ParsedDocument zh = parse("choco-builder/sample.pptx");
        assertHeading(zh, 1, "代码库问答");
        assertOnPage(zh, 2, "让AI成为我们的贴身助理，随时能通过对话获取我们期望的数据。");

        ParsedDocument table = parse("langchain-chatchat/ocr_test.pptx");
        assertInOrder(table, "我是文字", "我是表格1 | 我是表格5", "我是表格3 | 我是表格4");
        assertOnPage(table, 1, "我是表格3 | 我是表格4");
    }
}
