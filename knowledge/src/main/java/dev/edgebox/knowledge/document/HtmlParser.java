package dev.edgebox.knowledge.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * HTML through jsoup: headings h1-h6, block elements as paragraphs, tables one row a block; scripts,
 * styles and navigation are left out.
 */
public final class HtmlParser implements DocumentParser {
    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template", "svg",
            "nav", "head", "iframe", "object", "button", "select", "form");

    @Override
    public ParsedDocument parse(SourceFile file) {
        Element body = Jsoup.parse(TextDecoder.decode(file.content())).body();
        Walker w = new Walker();
        w.walk(body);
        w.flush();
        return new ParsedDocument(PageUnit.NONE, 0, w.blocks);
    }

    private static final class Walker {
        final List<Block> blocks = new ArrayList<>();
        final StringBuilder inline = new StringBuilder();

        void walk(Node node) {
            for (Node child : node.childNodes()) {
                if (child instanceof TextNode t) {
                    inline.append(t.getWholeText());
                } else if (child instanceof Element e) {
                    element(e);
                }
            }
        }

        void element(Element e) {
            String tag = e.normalName();
            if (SKIPPED.contains(tag)) return;
            if (tag.matches("h[1-6]")) {
                flush();
                String text = Text.squash(e.text());
                if (!text.isEmpty()) blocks.add(Block.heading(tag.charAt(1) - '0', text, 0));
            } else if (tag.equals("table")) {
                flush();
                for (Element tr : e.select("tr")) {
                    if (tr.closest("table") != e) continue; // rows of nested tables come with their cell
                    List<String> cells = new ArrayList<>();
                    for (Element cell : tr.children()) if (cell.normalName().matches("t[dh]")) cells.add(cell.text());
                    String row = Text.row(cells);
                    if (!row.isBlank()) blocks.add(Block.tableRow(row, 0));
                }
            } else if (tag.equals("br")) {
                inline.append('\n');
            } else if (e.isBlock() || tag.equals("li")) {
                flush();
                walk(e);
                flush();
            } else {
                walk(e);
            }
        }

        void flush() {
            String text = Text.squash(inline.toString());
            if (!text.isEmpty()) blocks.add(Block.paragraph(text, 0));
            inline.setLength(0);
        }
    }
}
