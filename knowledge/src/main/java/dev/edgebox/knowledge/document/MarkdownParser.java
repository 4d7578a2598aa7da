package dev.edgebox.knowledge.document;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown without a library: ATX and setext headings, paragraphs, list items, fenced code, pipe
 * tables (one row a block) and front matter; inline links, images and emphasis keep their text.
 */
public final class MarkdownParser implements DocumentParser {
    private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern RULE = Pattern.compile("^ {0,3}([-*_])(\\s*\\1){2,}\\s*$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\|.*\\|\\s*$");
    private static final Pattern TABLE_RULE = Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*([-*+]|\\d+[.)])\\s+.*");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|\\*|`)(\\S(?:.*?\\S)?)\\1");

    @Override
    public ParsedDocument parse(SourceFile file) {
        List<String> lines = Arrays.asList(TextDecoder.decode(file.content()).split("\\R", -1));
        List<Block> blocks = new ArrayList<>();
        List<String> paragraph = new ArrayList<>();
        int i = skipFrontMatter(lines);
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                flush(paragraph, blocks);
                String marker = fence.group(1);
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).trim().startsWith(marker); i++) {
                    if (!code.isEmpty()) code.append('\n');
                    code.append(lines.get(i));
                }
                if (!code.toString().isBlank()) blocks.add(Block.paragraph(code.toString().strip(), 0));
                i++;
                continue;
            }
            Matcher atx = ATX.matcher(line);
            if (line.isBlank()) {
                flush(paragraph, blocks);
            } else if (atx.matches()) {
                flush(paragraph, blocks);
                blocks.add(Block.heading(atx.group(1).length(), inline(atx.group(2)), 0));
            } else if (paragraph.size() == 1 && SETEXT.matcher(line).matches()) {
                blocks.add(Block.heading(line.trim().startsWith("=") ? 1 : 2, inline(paragraph.getFirst()), 0));
                paragraph.clear();
            } else if (RULE.matcher(line).matches()) {
                flush(paragraph, blocks);
            } else if (TABLE_ROW.matcher(line).matches()) {
                flush(paragraph, blocks);
                if (!TABLE_RULE.matcher(line).matches()) blocks.add(Block.tableRow(Text.row(cells(line)), 0));
            } else if (LIST_ITEM.matcher(line).matches()) {
                flush(paragraph, blocks);
                paragraph.add(line);
            } else {
                paragraph.add(line.replaceFirst("^\\s*>\\s?", ""));
            }
            i++;
        }
        flush(paragraph, blocks);
        return new ParsedDocument(PageUnit.NONE, 0, blocks);
    }

    private static int skipFrontMatter(List<String> lines) {
        if (lines.isEmpty() || !lines.getFirst().equals("---")) return 0;
        for (int i = 1; i < lines.size(); i++) if (lines.get(i).equals("---")) return i + 1;
        return 0;
    }

    private static List<String> cells(String row) {
        String inner = row.trim();
        inner = inner.substring(1, inner.length() - 1);
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("(?<!\\\\)\\|", -1)) cells.add(inline(c.replace("\\|", "|")));
        return cells;
    }

    private static void flush(List<String> lines, List<Block> blocks) {
        if (lines.isEmpty()) return;
        String p = inline(Text.joinLines(lines));
        if (!p.isEmpty()) blocks.add(Block.paragraph(p, 0));
        lines.clear();
    }

    static String inline(String s) {
        s = IMAGE.matcher(s).replaceAll("$1");
        s = LINK.matcher(s).replaceAll("$1");
        s = EMPHASIS.matcher(s).replaceAll("$2");
        return Text.squash(s);
    }
}
