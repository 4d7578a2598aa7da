package dev.edgebox.knowledge.prompt;

import dev.edgebox.knowledge.index.StoredChunk;

/**
 * One numbered source of a prompt context.
 *
 * @param number what the answer cites as [number]
 * @param text the text as it went into the context (possibly shortened to fit the budget)
 */
public record Source(int number, StoredChunk chunk, String text, float score) {

    /** "manual.pdf, p. 3" or "notes.txt". */
    public String citation() {
        String where = chunk.location();
        return where.isEmpty() ? chunk.fileName() : chunk.fileName() + ", " + where;
    }
}
