package dev.edgebox.knowledge.document;

/**
 * One visual line of a PDF page as PDFBox laid it out.
 *
 * @param y baseline, from the top of the page down
 * @param left x of the first glyph
 * @param right x after the last glyph
 * @param size font size in points of the line's largest glyph
 */
record PdfLine(int page, String text, float y, float left, float right, float size) {

    boolean endsSentence() {
        if (text.isEmpty()) return false;
        char c = text.charAt(text.length() - 1);
        return ".!?:;。！？：；\"”’)）".indexOf(c) >= 0;
    }
}
