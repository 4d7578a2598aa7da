package dev.edgebox.knowledge.document;

import dev.edgebox.knowledge.KnowledgeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * PDF through PDFBox. Lines come in content-stream order with their geometry; we group them into
 * paragraphs by line spacing, indentation and font size, call clearly larger short paragraphs
 * headings, drop running headers, footers and page numbers, and rejoin sentences that a column or
 * page break cut in two.
 */
public final class PdfParser implements DocumentParser {
    static {
        Parsers.quietLibraryLogging(); // PDFBox logs through commons-logging, which picks log4j-api when present
    }

    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)(page\\s*)?[-–—]?\\s*\\d{1,4}\\s*[-–—]?\\s*((of|/)\\s*\\d{1,4})?|第\\s*\\d{1,4}\\s*页.*");
    private static final Pattern SYMBOL_BULLET = Pattern.compile("^[●•▪◦■□➢✓\\-–*]\\s.*");
    private static final Pattern BULLET = Pattern.compile("^([●•▪◦■□➢✓\\-–*]|\\(?[0-9ivxIVX]{1,4}[.)]|[a-hA-H][.)])\\s.*");

    /** A paragraph being built; jumped means it began after a page, column or box change. */
    private static final class Para {
        final List<PdfLine> lines = new ArrayList<>();
        final boolean jumped;
        boolean heading;
        boolean capsHeading; // "1. DEFINITIONS": body size, but a heading all the same

        Para(PdfLine first, boolean jumped) {
            lines.add(first);
            this.jumped = jumped;
        }

        PdfLine last() {
            return lines.getLast();
        }

        int page() {
            return lines.getFirst().page();
        }

        float size() {
            return lines.getFirst().size();
        }

        String text() {
            return Text.joinLines(lines.stream().map(PdfLine::text).toList());
        }
    }

    @Override
    public ParsedDocument parse(SourceFile file) {
        try (PDDocument pdf = Loader.loadPDF(file.content())) {
            List<PdfLine> lines = PdfLines.of(pdf);
            List<Para> paras = group(lines);
            paras = dropRunningText(paras, pdf.getNumberOfPages());
            List<Float> headingSizes = markHeadings(paras, bodySize(lines));
            paras = rejoinCutSentences(paras);
            return new ParsedDocument(PageUnit.PAGE, pdf.getNumberOfPages(), blocks(paras, headingSizes));
        } catch (IOException e) {
            throw new KnowledgeException(file.name() + " is not a readable PDF: " + e.getMessage(), e);
        }
    }

    private static List<Para> group(List<PdfLine> lines) {
        Map<Float, Float> pitchBySize = typicalPitch(lines);
        List<Para> paras = new ArrayList<>();
        Para current = null;
        float paraRight = 0;
        for (PdfLine line : lines) {
            if (current == null) {
                current = new Para(line, true);
                paras.add(current);
                paraRight = line.right();
                continue;
            }
            PdfLine prev = current.last();
            float size = Math.max(prev.size(), 1f);
            float pitch = line.y() - prev.y();
            boolean jumped = line.page() != prev.page() || pitch < 0.3f * size || line.left() > prev.right() + size;
            float typical = pitchBySize.getOrDefault(sizeKey(prev.size()), 0f);
            boolean gap = pitch > (typical > 0 ? 1.35f * typical : 2f * size);
            boolean sizeChange = Math.abs(line.size() - prev.size()) > 0.12f * size;
            boolean endOfParagraph = prev.endsSentence()
                    && (line.left() > prev.left() + 0.8f * size || prev.right() < paraRight - 2.5f * size);
            boolean bullet = BULLET.matcher(line.text()).matches();
            if (jumped || gap || sizeChange || endOfParagraph || bullet) {
                current = new Para(line, jumped);
                paras.add(current);
                paraRight = line.right();
            } else {
                current.lines.add(line);
                paraRight = Math.max(paraRight, line.right());
            }
        }
        return paras;
    }

    /** Median distance between consecutive baselines of same-size lines, per font size. */
    private static Map<Float, Float> typicalPitch(List<PdfLine> lines) {
        Map<Float, List<Float>> pitches = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            PdfLine a = lines.get(i - 1), b = lines.get(i);
            float pitch = b.y() - a.y();
            if (a.page() == b.page() && pitch > 0.5f * a.size() && pitch < 3f * a.size()
                    && Math.abs(a.size() - b.size()) < 0.12f * a.size()) {
                pitches.computeIfAbsent(sizeKey(a.size()), p -> new ArrayList<>()).add(pitch);
            }
        }
        Map<Float, Float> median = new HashMap<>();
        pitches.forEach((size, list) -> {
            list.sort(null);
            median.put(size, list.get(list.size() / 2));
        });
        return median;
    }

    private static float sizeKey(float size) {
        return Math.round(size * 2) / 2f;
    }

    /** Page numbers, and lines that repeat on at least half the pages (running headers and footers). */
    private static List<Para> dropRunningText(List<Para> paras, int pages) {
        Map<String, Set<Integer>> pagesByKey = new HashMap<>();
        for (Para p : paras) pagesByKey.computeIfAbsent(runningKey(p), k -> new HashSet<>()).add(p.page());
        int threshold = Math.max(3, (pages + 1) / 2);
        List<Para> kept = new ArrayList<>();
        for (Para p : paras) {
            String text = p.text();
            if (PAGE_NUMBER.matcher(text).matches()) continue;
            if (pages >= 3 && text.length() < 200 && pagesByKey.get(runningKey(p)).size() >= threshold) continue;
            kept.add(p);
        }
        return kept;
    }

    private static String runningKey(Para p) {
        return p.text().toLowerCase(Locale.ROOT).replaceAll("\\d+", "#");
    }

    /** The font size of most of the text. */
    private static float bodySize(List<PdfLine> lines) {
        Map<Float, Integer> chars = new HashMap<>();
        for (PdfLine l : lines) chars.merge(sizeKey(l.size()), l.text().length(), Integer::sum);
        return chars.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0f);
    }

    /** Marks clearly larger short paragraphs as headings; returns their sizes, largest (level 1) first. */
    private static List<Float> markHeadings(List<Para> paras, float body) {
        TreeSet<Float> sizes = new TreeSet<>();
        for (Para p : paras) {
            String text = p.text();
            p.heading = body > 0 && p.size() >= 1.2f * body && text.length() <= 200 && p.lines.size() <= 4
                    && text.codePoints().filter(Character::isLetter).count() >= 2 && isTitleLike(text);
            if (p.heading) sizes.add(sizeKey(p.size()));
        }
        for (Para p : paras) p.capsHeading = !p.heading && isCapsHeading(p);
        return new ArrayList<>(sizes.descendingSet());
    }

    private static boolean isCapsHeading(Para p) {
        String text = p.text();
        long letters = text.codePoints().filter(Character::isLetter).count();
        return p.lines.size() <= 2 && letters >= 3 && isTitleLike(text) && text.codePoints().noneMatch(Text::isCjk) && text.length() <= 80 && !text.endsWith(",")
                && text.codePoints().noneMatch(Character::isLowerCase) && text.codePoints().anyMatch(Character::isUpperCase);
    }

    /** Not a list item, not a formula (mathematical alphanumerics are sized like headings). */
    private static boolean isTitleLike(String text) {
        return !SYMBOL_BULLET.matcher(text).matches() && text.codePoints().noneMatch(c -> c >= 0x1D400 && c <= 0x1D7FF);
    }

    /** A paragraph cut by a column or page break, that the next one visibly continues, is one paragraph. */
    private static List<Para> rejoinCutSentences(List<Para> paras) {
        List<Para> out = new ArrayList<>();
        for (Para p : paras) {
            Para prev = out.isEmpty() ? null : out.getLast();
            if (prev != null && p.jumped && !prev.heading && !p.heading && !prev.capsHeading && !p.capsHeading && continues(prev.last(), p.lines.getFirst())) {
                prev.lines.addAll(p.lines);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean continues(PdfLine end, PdfLine start) {
        if (end.endsSentence() || BULLET.matcher(start.text()).matches()) return false;
        char last = end.text().charAt(end.text().length() - 1);
        int first = start.text().codePointAt(0);
        if (Character.isLowerCase(first)) return Character.isLetterOrDigit(last) || last == ',' || last == '-';
        return Text.isCjk(last) && Character.isIdeographic(last) && Character.isIdeographic(first);
    }

    private static List<Block> blocks(List<Para> paras, List<Float> headingSizes) {
        List<Block> blocks = new ArrayList<>();
        for (Para p : paras) {
            String text = p.text();
            if (p.heading) {
                int level = headingSizes.indexOf(sizeKey(p.size())) + 1;
                blocks.add(Block.heading(Math.min(level, 6), text, p.page()));
            } else if (p.capsHeading) {
                blocks.add(Block.heading(Math.min(headingSizes.size() + 1, 6), text, p.page()));
            } else {
                blocks.add(Block.paragraph(text, p.page()));
            }
        }
        return blocks;
    }
}
