package dev.edgebox.knowledge.document;

import dev.edgebox.knowledge.KnowledgeException;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGraphicFrame;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextShape;

/**
 * PowerPoint (.pptx) through POI, slide by slide: the title becomes a heading, the other shapes are
 * read top to bottom then left to right (shapes are stored in drawing order, not reading order),
 * tables one row a block, chart titles as text, then the speaker notes.
 */
public final class PptxParser implements DocumentParser {
    static {
        Parsers.quietLibraryLogging();
    }


    @Override
    public ParsedDocument parse(SourceFile file) {
        try (XMLSlideShow show = new XMLSlideShow(new ByteArrayInputStream(file.content()))) {
            List<Block> blocks = new ArrayList<>();
            List<XSLFSlide> slides = show.getSlides();
            for (int i = 0; i < slides.size(); i++) slide(slides.get(i), i + 1, blocks);
            return new ParsedDocument(PageUnit.SLIDE, slides.size(), blocks);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KnowledgeException k) throw k;
            throw new KnowledgeException(file.name() + " is not a readable PowerPoint .pptx file: " + e.getMessage(), e);
        }
    }

    private static void slide(XSLFSlide slide, int number, List<Block> blocks) {
        List<XSLFShape> shapes = readingOrder(slide.getShapes());
        for (XSLFShape s : shapes) {
            if (isTitle(s)) {
                String title = Text.squash(((XSLFTextShape) s).getText());
                if (!title.isEmpty()) blocks.add(Block.heading(1, title, number));
            }
        }
        for (XSLFShape s : shapes) if (!isTitle(s)) shape(s, number, blocks);
        XSLFNotes notes = slide.getNotes();
        if (notes != null) {
            for (XSLFShape s : notes.getShapes()) {
                if (s instanceof XSLFTextShape t && t.getTextType() == Placeholder.BODY) paragraphs(t, number, blocks);
            }
        }
    }

    private static void shape(XSLFShape s, int slide, List<Block> blocks) {
        switch (s) {
            case XSLFTextShape t -> {
                Placeholder p = t.getTextType();
                if (p != Placeholder.SLIDE_NUMBER && p != Placeholder.DATETIME && p != Placeholder.FOOTER) paragraphs(t, slide, blocks);
            }
            case XSLFTable table -> {
                for (XSLFTableRow row : table.getRows()) {
                    List<String> cells = new ArrayList<>();
                    for (XSLFTableCell cell : row.getCells()) cells.add(cell.getText());
                    String text = Text.row(cells);
                    if (!text.replace("|", "").isBlank()) blocks.add(Block.tableRow(text, slide));
                }
            }
            case XSLFGroupShape g -> {
                for (XSLFShape child : readingOrder(g.getShapes())) shape(child, slide, blocks);
            }
            case XSLFGraphicFrame f when f.hasChart() -> {
                var title = f.getChart().getTitle();
                String text = title == null || title.getBody() == null ? "" : Text.squash(title.getBody().getParagraphs().stream()
                        .map(p -> p.getText()).reduce("", (a, b) -> a + " " + b));
                if (!text.isEmpty()) blocks.add(Block.paragraph(text, slide));
            }
            default -> { }
        }
    }

    private static void paragraphs(XSLFTextShape t, int slide, List<Block> blocks) {
        for (XSLFTextParagraph p : t.getTextParagraphs()) {
            String text = Text.squash(p.getText());
            if (!text.isEmpty()) blocks.add(Block.paragraph(text, slide));
        }
    }

    private static boolean isTitle(XSLFShape s) {
        return s instanceof XSLFTextShape t
                && (t.getTextType() == Placeholder.TITLE || t.getTextType() == Placeholder.CENTERED_TITLE);
    }

    /** Top to bottom, then left to right; shapes whose tops are within a few points count as one line. */
    private static List<XSLFShape> readingOrder(List<XSLFShape> shapes) {
        List<XSLFShape> sorted = new ArrayList<>(shapes);
        sorted.sort(Comparator.comparingDouble((XSLFShape s) -> Math.round(anchor(s).getY() / 12.0))
                .thenComparingDouble(s -> anchor(s).getX()));
        return sorted;
    }

    private static Rectangle2D anchor(XSLFShape s) {
        Rectangle2D a = null;
        try {
            a = s.getAnchor();
        } catch (RuntimeException noAnchor) {
            // some shapes inherit their position and may have none
        }
        return a == null ? new Rectangle2D.Double() : a;
    }
}
