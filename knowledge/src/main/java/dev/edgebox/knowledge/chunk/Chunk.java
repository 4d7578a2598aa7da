package dev.edgebox.knowledge.chunk;

import java.util.List;

/**
 * A piece of a document small enough to embed and to quote in a prompt.
 *
 * @param ordinal position in the document, from 0
 * @param headings the heading path above the text, outermost first
 * @param page first page or slide the text is on (0 when the format has none)
 * @param lastPage last page or slide the text is on
 * @param tokens size in tokens of the counter that made it
 */
public record Chunk(int ordinal, String text, List<String> headings, int page, int lastPage, int tokens) {
    public Chunk {
        headings = List.copyOf(headings);
    }

    /** What is embedded and indexed: the heading path, then the text. */
    public String indexedText() {
        return headings.isEmpty() ? text : String.join(" > ", headings) + "\n" + text;
    }
}
