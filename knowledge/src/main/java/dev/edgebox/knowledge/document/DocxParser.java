package dev.edgebox.knowledge.document;

import dev.edgebox.knowledge.KnowledgeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.IRunElement;
import org.apache.poi.xwpf.usermodel.XWPFAbstractFootnoteEndnote;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;

/**
 * Word (.docx) through POI: body paragraphs, headings from paragraph styles, tables one row a block,
 * then footnotes and endnotes. A .docx has no fixed pages; Word records where pages began when it
 * last laid the document out (lastRenderedPageBreak), and those marks give the page numbers, else
 * explicit page breaks do.
 */
public final class DocxParser implements DocumentParser {
    static {
        Parsers.quietLibraryLogging();
    }

    private static final Pattern HEADING_STYLE = Pattern.compile("(?:heading|标题)\\s*(\\d)");
    private static final Pattern NOTE_REF = Pattern.compile("\\[(?:footnote|endnote)Ref:\\d+]");
    private static final Pattern RENDERED_BREAK = Pattern.compile("lastRenderedPageBreak");
    private static final Pattern EXPLICIT_BREAK = Pattern.compile("<[\\w:]*br\\b[^>]*type=\"page\"");

    @Override
    public ParsedDocument parse(SourceFile file) {
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(file.content()))) {
            Pattern pageMark = doc.getDocument().xmlText().contains("lastRenderedPageBreak") ? RENDERED_BREAK : EXPLICIT_BREAK;
            Walker w = new Walker(doc, pageMark);
            for (IBodyElement e : doc.getBodyElements()) w.element(e);
            for (XWPFAbstractFootnoteEndnote note : doc.getFootnotes()) w.note(note);
            for (XWPFAbstractFootnoteEndnote note : doc.getEndnotes()) w.note(note);
            int pages = w.page;
            try {
                pages = Math.max(pages, doc.getProperties().getExtendedProperties().getPages());
            } catch (RuntimeException noAppProperties) {
                // app.xml is optional
            }
            return new ParsedDocument(PageUnit.PAGE, pages, w.blocks);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KnowledgeException k) throw k;
            throw new KnowledgeException(file.name() + " is not a readable Word .docx file: " + e.getMessage(), e);
        }
    }

    private static final class Walker {
        final XWPFDocument doc;
        final Pattern pageMark;
        final List<Block> blocks = new ArrayList<>();
        int page = 1;

        Walker(XWPFDocument doc, Pattern pageMark) {
            this.doc = doc;
            this.pageMark = pageMark;
        }

        void element(IBodyElement e) {
            switch (e) {
                case XWPFParagraph p -> paragraph(p);
                case XWPFTable t -> table(t);
                case XWPFSDT sdt -> {
                    String text = Text.squash(sdt.getContent().getText());
                    if (!text.isEmpty()) blocks.add(Block.paragraph(text, page));
                }
                default -> { }
            }
        }

        void paragraph(XWPFParagraph p) {
            // Marks before any text move this paragraph to the next page; later ones move what follows.
            int before = 0, after = 0;
            StringBuilder seen = new StringBuilder();
            if (pageMark == EXPLICIT_BREAK && p.isPageBreak()) before++;
            for (XWPFRun run : p.getRuns()) {
                int marks = count(run.getCTR().xmlText());
                if (seen.toString().isBlank()) before += marks;
                else after += marks;
                seen.append(run.text());
            }
            page += before;
            String text = text(p);
            if (!text.isEmpty()) {
                int level = headingLevel(p);
                blocks.add(level > 0 ? Block.heading(level, text, page) : Block.paragraph(text, page));
            }
            page += after;
        }

        void table(XWPFTable t) {
            for (XWPFTableRow row : t.getRows()) {
                List<String> cells = new ArrayList<>();
                for (XWPFTableCell cell : row.getTableCells()) cells.add(cellText(cell));
                String text = Text.row(cells);
                if (!text.replace("|", "").isBlank()) blocks.add(Block.tableRow(text, page));
                page += count(row.getCtRow().xmlText());
            }
        }

        void note(XWPFAbstractFootnoteEndnote note) {
            for (XWPFParagraph p : note.getParagraphs()) {
                String text = text(p);
                if (!text.isEmpty()) blocks.add(Block.paragraph(text, page));
            }
        }

        /** The paragraph's runs; unlike getText() this leaves footnotes where they belong, at the end. */
        static String text(XWPFParagraph p) {
            StringBuilder sb = new StringBuilder();
            for (IRunElement r : p.getIRuns()) {
                if (r instanceof XWPFRun run) sb.append(run.text());
                else if (r instanceof XWPFSDT sdt) sb.append(sdt.getContent().getText());
            }
            return Text.squash(NOTE_REF.matcher(sb).replaceAll(""));
        }

        /** Paragraphs of a cell joined by spaces, nested tables row by row. */
        static String cellText(XWPFTableCell cell) {
            List<String> parts = new ArrayList<>();
            for (IBodyElement e : cell.getBodyElements()) {
                if (e instanceof XWPFParagraph p) parts.add(text(p));
                else if (e instanceof XWPFTable nested) {
                    for (XWPFTableRow row : nested.getRows()) {
                        List<String> cells = new ArrayList<>();
                        for (XWPFTableCell c : row.getTableCells()) cells.add(cellText(c));
                        parts.add(String.join(", ", cells));
                    }
                }
            }
            return Text.squash(String.join(" ", parts));
        }

        int count(String xml) {
            int n = 0;
            for (Matcher m = pageMark.matcher(xml); m.find(); ) n++;
            return n;
        }

        int headingLevel(XWPFParagraph p) {
            var ppr = p.getCTP().getPPr();
            if (ppr != null && ppr.getOutlineLvl() != null && ppr.getOutlineLvl().getVal().intValue() < 9) {
                return ppr.getOutlineLvl().getVal().intValue() + 1;
            }
            String id = p.getStyleID();
            if (id == null) return 0;
            XWPFStyle style = doc.getStyles() == null ? null : doc.getStyles().getStyle(id);
            String name = (style != null && style.getName() != null ? style.getName() : id).toLowerCase(Locale.ROOT);
            if (name.equals("title")) return 1;
            Matcher m = HEADING_STYLE.matcher(name);
            if (m.find()) return Math.max(1, Integer.parseInt(m.group(1)));
            if (style != null && style.getCTStyle().getPPr() != null && style.getCTStyle().getPPr().getOutlineLvl() != null) {
                int lvl = style.getCTStyle().getPPr().getOutlineLvl().getVal().intValue();
                if (lvl < 9) return lvl + 1;
            }
            return 0;
        }
    }
}
