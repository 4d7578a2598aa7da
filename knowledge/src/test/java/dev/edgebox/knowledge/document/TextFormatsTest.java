package dev.edgebox.knowledge.document;

import static dev.edgebox.knowledge.document.DocumentAssert.assertHeading;
import static dev.edgebox.knowledge.document.DocumentAssert.assertInOrder;
import static dev.edgebox.knowledge.document.DocumentAssert.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.KnowledgeException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTML, Markdown and plain text, from fixtures written here. */
class TextFormatsTest {

    @Test
    void htmlHeadingsParagraphsListsAndTableRows() {
        String html = """
                <html><head><title>ignored</title><style>p { color: red }</style></head><body>
                <nav>Home | About</nav>
                <h1>Clinic handbook</h1>
                <p>Opening hours are <b>8:00</b> to 17:00.<br>Closed on Sundays.</p>
                <h2>Fees</h2>
                <table><tr><th>Service</th><th>Fee</th></tr><tr><td>Consultation</td><td>50 元</td></tr></table>
                <ul><li>Bring your ID card.</li><li>带上医保卡。</li></ul>
                <script>var x = "not text";</script>
                <div>Last updated 2024.</div>
                </body></html>""";
        ParsedDocument doc = Parsers.parse(new SourceFile("handbook.html", html.getBytes(StandardCharsets.UTF_8)));
        assertHeading(doc, 1, "Clinic handbook");
        assertHeading(doc, 2, "Fees");
        assertRow(doc, "Service | Fee");
        assertRow(doc, "Consultation | 50 元");
        assertInOrder(doc, "Clinic handbook", "Opening hours are 8:00 to 17:00. Closed on Sundays.", "Fees", "Service | Fee",
                "Consultation | 50 元", "Bring your ID card.", "带上医保卡。", "Last updated 2024.");
        DocumentAssert.assertBlocks(doc, List.of("not text", "Home | About", "color: red"));
    }

    @Test
    void markdownHeadingsTablesListsCodeAndInlineMarkup() {
        String md = """
                ---
                title: front matter is skipped
                ---
                # Machine manual

                The **X200** press runs at [400 strokes](http://x/y) per minute.
                It needs oil every week.

                Safety
                ------

                - Wear gloves.
                - 戴上护目镜。

                | Part | Interval |
                |------|---------:|
                | Filter | 3 months |

                ```
                reset --all
                ```
                ## 维护
                每周加油一次。
                """;
        ParsedDocument doc = Parsers.parse(new SourceFile("manual.md", md.getBytes(StandardCharsets.UTF_8)));
        assertHeading(doc, 1, "Machine manual");
        assertHeading(doc, 2, "Safety");
        assertHeading(doc, 2, "维护");
        assertRow(doc, "Part | Interval");
        assertRow(doc, "Filter | 3 months");
        assertInOrder(doc, "Machine manual", "The X200 press runs at 400 strokes per minute. It needs oil every week.", "Safety",
                "- Wear gloves.", "- 戴上护目镜。", "Part | Interval", "Filter | 3 months", "reset --all", "维护", "每周加油一次。");
        assertTrue(doc.blocks().stream().noneMatch(b -> b.text().contains("front matter") || b.text().contains("---")));
    }

    @Test
    void textInUtf8AndGbkWithParagraphsByBlankLines() {
        String text = "第一段：设备每周保养一次。\n如有异常，立即停机。\n\nSecond paragraph, in English,\nspread over two lines.\n";
        for (Charset cs : List.of(StandardCharsets.UTF_8, Charset.forName("GBK"))) {
            ParsedDocument doc = Parsers.parse(new SourceFile("notes.txt", text.getBytes(cs)));
            assertEquals(2, doc.blocks().size(), cs.name());
            assertEquals("第一段：设备每周保养一次。如有异常，立即停机。", doc.blocks().get(0).text(), cs.name());
            assertEquals("Second paragraph, in English, spread over two lines.", doc.blocks().get(1).text(), cs.name());
        }
        byte[] bom = "\uFEFFhello".getBytes(StandardCharsets.UTF_8);
        assertEquals("hello", Parsers.parse(new SourceFile("bom.txt", bom)).blocks().getFirst().text());
    }

    @Test
    void unknownExtensionIsAClearError() {
        var e = assertThrows(KnowledgeException.class, () -> Parsers.parse(new SourceFile("data.xlsx", new byte[0])));
        assertEquals("data.xlsx: unsupported file type '.xlsx'; expected one of docx, htm, html, markdown, md, pdf, pptx, text, txt", e.getMessage());
    }

    @Test
    void lineJoiningKnowsHyphensAndChinese() {
        assertEquals("an example sentence", Text.joinLines(List.of("an exam-", "ple sentence")));
        assertEquals("Stress-Engineered robots", Text.joinLines(List.of("Stress-", "Engineered robots")));
        assertEquals("中文句子连在一起", Text.joinLines(List.of("中文句子", "连在一起")));
        assertEquals("中文 and English", Text.joinLines(List.of("中文", "and English")));
    }
}
