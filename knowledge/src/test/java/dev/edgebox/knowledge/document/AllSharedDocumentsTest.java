package dev.edgebox.knowledge.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgebox.knowledge.chunk.Chunk;
import dev.edgebox.knowledge.chunk.Chunker;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.HashingEmbedder;
import dev.edgebox.knowledge.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every PDF, Word and PowerPoint file of the shared set parses and chunks with pages in range. */
class AllSharedDocumentsTest {

    @Test
    void everyDocumentParsesAndChunks() throws IOException {
        Path docs = Shared.require("data/docs");
        List<Path> files;
        try (Stream<Path> s = Files.walk(docs)) {
            files = s.filter(p -> p.toString().matches(".*\\.(pdf|docx|pptx)$")).sorted().toList();
        }
        assertEquals(21, files.size(), "the shared set has 21 documents");
        Chunker chunker = new Chunker(HashingEmbedder::countTokens, ChunkingOptions.DEFAULT);
        for (Path f : files) {
            ParsedDocument doc = Parsers.parse(SourceFile.read(f));
            assertFalse(doc.blocks().isEmpty(), f + " gave no text");
            for (Block b : doc.blocks()) {
                assertFalse(b.text().isBlank(), f + " has an empty block");
                assertTrue(b.page() >= 1 && b.page() <= Math.max(1, doc.pages()), f + ": page " + b.page() + " of " + doc.pages());
            }
            List<Chunk> chunks = chunker.chunk(doc);
            assertFalse(chunks.isEmpty(), f + " gave no chunks");
            for (Chunk c : chunks) assertTrue(c.page() <= c.lastPage(), f + ": chunk pages " + c.page() + "-" + c.lastPage());
        }
    }
}
