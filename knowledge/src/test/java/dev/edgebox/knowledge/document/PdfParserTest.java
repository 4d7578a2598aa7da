package dev.edgebox.knowledge.document;

import static dev.edgebox.knowledge.document.DocumentAssert.assertBlocks;
import static dev.edgebox.knowledge.document.DocumentAssert.assertHeading;
import static dev.edgebox.knowledge.document.DocumentAssert.assertInOrder;
import static dev.edgebox.knowledge.document.DocumentAssert.assertOnPage;
import static dev.edgebox.knowledge.document.DocumentAssert.blockWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.testing.Shared;
import java.util.List;
import org.junit.jupiter.api.Test;

class PdfParserTest {
    private static ParsedDocument parse(String relative) {
        return new PdfParser().parse(SourceFile.read(Shared.require("data/docs/" + relative)));
    }

    @Test
    void simplePageHasHeadingsAndParagraphsInOrder() {
        ParsedDocument doc = parse("tika/testPDF.pdf");
        assertEquals(PageUnit.PAGE, doc.unit());
        assertEquals(1, doc.pages());
        assertHeading(doc, 1, "Tika - Content Analysis Toolkit");
        assertInOrder(doc, "Tika - Content Analysis Toolkit",
                "Apache Tika is a toolkit for detecting and extracting metadata and structured text content from various documents using existing parser libraries.",
                "Latest News", "The Apache Tika project was formally started when the Tika proposal was accepted by the Apache Incubator PMC.");
    }

    @Test
    void contractKeepsPagesDropsRunningFooterAndRejoinsSentencesCutByAPageBreak() {
        ParsedDocument doc = parse("cuad/AlliedEsportsEntertainmentInc_20190815_8-K_EX-10.19_11788293_EX-10.19_Content License Agreement.pdf");
        assertEquals(10, doc.pages());
        assertOnPage(doc, 1, "This JOINT CONTENT LICENSE AGREEMENT (the “Agreement”), dated February 1, 2018");
        assertOnPage(doc, 2, "4. Annual Minimum Guarantee. Zynga will pay WPT three million U.S. dollars ($3,000,000) per year");
        assertOnPage(doc, 7, "a. WPT shall indemnify, defend, and hold harmless Zynga and its Affiliates");
        assertOnPage(doc, 10, "EXHIBIT B LICENSED PROPERTY");
        assertHeading(doc, 1, "5. INDEMNIFICATION");
        // the line break after "on a number of" is not a paragraph break
        blockWith(doc, "Zynga produces and distributes the ZYNGA POKER® game on a number of global platforms, including Apple iOS");
        assertBlocks(doc, List.of("Source: ALLIED ESPORTS ENTERTAINMENT, INC., 8-K, 8/15/2019"));
        assertInOrder(doc, "1. DEFINITIONS", "2. TRADEMARKS, APPROVALS, AND RESERVATION OF RIGHTS", "3. PAYMENT", "6. TERMINATION",
                "10. MISCELLANEOUS", "EXHIBIT A MARKETING AND PROMOTIONAL ACTIVITIES");
    }

    @Test
    void twoColumnPaperIsReadColumnByColumn() {
        ParsedDocument doc = parse("tika/testJournalParser.pdf");
        assertEquals(10, doc.pages());
        assertHeading(doc, 1, "Scalability of Controlling Heterogenous Stress-Engineered MEMS Microrobots (MicroStressBots)");
        // lines of one paragraph join into a sentence
        blockWith(doc, "A MicroStressBot is an electrostatic microrobot that consists of an untethered scratch drive actuator (USDA) that provides forward motion");
        assertInOrder(doc, "Abstract— In this paper we present control strategies", "I. INTRODUCTION",
                "Microscale robotic systems have many applications in areas such as biomedicine [1]",
                "The paper is structured as follows", "II. STRESS-ENGINEERED MICROROBOT",
                "III. GCSR: A STRATEGY FOR MULTI-MICROROBOT CONTROL AND ASSEMBLY", "V. CONCLUSION", "REFERENCES");
        assertOnPage(doc, 2, "II. STRESS-ENGINEERED MICROROBOT");
        assertOnPage(doc, 10, "V. CONCLUSION");
    }

    @Test
    void textBoxesSideBySideAreReadOneAfterTheOther() {
        ParsedDocument doc = parse("tika/testPDFTwoTextBoxes.pdf");
        assertInOrder(doc, "Left column line 1", "Left column line 2", "Right column line 1", "Right column line 2");
    }

    @Test
    void chineseDocumentJoinsLinesWithoutSpaces() {
        ParsedDocument doc = parse("mineru/introduction.pdf");
        assertHeading(doc, 1, "化学学科常用符号公式及其表示");
        assertOnPage(doc, 1, "又称化学反应式、化学反应方程式，是用化学式来描述各种物质之间的不同化学反应的式子");
        assertInOrder(doc, "方程式", "热化学方程式", "非结构式", "分子式是用元素符号及各元素个数表示物质", "结构式", "线性表示");
        assertEquals("我是文字", parse("langchain-chatchat/ocr_test.pdf").blocks().getFirst().text());
    }

    @Test
    void aFileThatIsNotAPdfIsAClearError() {
        var e = assertThrows(KnowledgeException.class,
                () -> new PdfParser().parse(new SourceFile("broken.pdf", "not a pdf at all".getBytes())));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("broken.pdf is not a readable PDF"), e.getMessage());
    }
}
