package dev.edgebox.knowledge.document;

/** Turns one file format into blocks in reading order. */
public interface DocumentParser {
    /**
     * @throws dev.edgebox.knowledge.KnowledgeException when the bytes are not a readable document of
     *     this format
     */
    ParsedDocument parse(SourceFile file);
}
