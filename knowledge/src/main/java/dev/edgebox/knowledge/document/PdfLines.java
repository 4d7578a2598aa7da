package dev.edgebox.knowledge.document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Collects the lines of a PDF with their geometry, in content-stream order: for most producers that
 * is the reading order, columns included (sorting by position would read across two columns).
 */
final class PdfLines extends PDFTextStripper {
    private final List<PdfLine> lines = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private float y, left = Float.MAX_VALUE, right, size;

    static List<PdfLine> of(PDDocument pdf) throws IOException {
        PdfLines collector = new PdfLines();
        collector.setSortByPosition(false);
        collector.writeText(pdf, java.io.Writer.nullWriter());
        return collector.lines;
    }

    private PdfLines() {
    }

    @Override
    protected void writeString(String s, List<TextPosition> glyphs) {
        if (glyphs.isEmpty()) return;
        TextPosition first = glyphs.getFirst();
        if (!text.isEmpty() && Math.abs(first.getYDirAdj() - y) > Math.max(2f, size * 0.6f)) endLine();
        if (text.isEmpty()) y = first.getYDirAdj();
        text.append(s);
        for (TextPosition g : glyphs) {
            left = Math.min(left, g.getXDirAdj());
            right = Math.max(right, g.getXDirAdj() + g.getWidthDirAdj());
            float pt = g.getFontSizeInPt() > 1.5f ? g.getFontSizeInPt() : g.getHeightDir();
            size = Math.max(size, pt);
        }
    }

    @Override
    protected void writeWordSeparator() {
        text.append(' ');
    }

    @Override
    protected void writeLineSeparator() {
        endLine();
    }

    @Override
    protected void endPage(PDPage page) {
        endLine();
    }

    private void endLine() {
        String line = Text.squash(text.toString());
        if (!line.isEmpty()) lines.add(new PdfLine(getCurrentPageNo(), line, y, left, right, size));
        text.setLength(0);
        left = Float.MAX_VALUE;
        right = 0;
        size = 0;
    }
}
