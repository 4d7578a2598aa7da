package dev.edgebox.knowledge.document;

import java.util.ArrayList;
import java.util.List;

/** Plain text (UTF-8 or GBK): paragraphs are separated by blank lines. */
public final class TextParser implements DocumentParser {

    @Override
    public ParsedDocument parse(SourceFile file) {
        String text = TextDecoder.decode(file.content());
        List<Block> blocks = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R", -1)) {
            if (line.isBlank()) {
                flush(lines, blocks);
            } else {
                lines.add(line);
            }
        }
        flush(lines, blocks);
        return new ParsedDocument(PageUnit.NONE, 0, blocks);
    }

    private static void flush(List<String> lines, List<Block> blocks) {
        if (lines.isEmpty()) return;
        String p = Text.joinLines(lines);
        if (!p.isEmpty()) blocks.add(Block.paragraph(p, 0));
        lines.clear();
    }
}
