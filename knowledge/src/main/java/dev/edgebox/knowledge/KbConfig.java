package dev.edgebox.knowledge;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.Embedders;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The settings a knowledge base is created with, stored as kb.json beside its index. They cannot
 * change afterwards: the vectors and chunks in the index were made with them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KbConfig(int format, String embedder, int dimension, int chunkTokens, int overlapTokens, long createdAt) {
    public static final String FILE = "kb.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static KbConfig of(String embedder, int dimension, ChunkingOptions chunking) {
        return new KbConfig(1, embedder, dimension, chunking.chunkTokens(), chunking.overlapTokens(), System.currentTimeMillis());
    }

    public static KbConfig defaults() {
        return of(Embedders.DEFAULT, Embedders.dimension(Embedders.DEFAULT), ChunkingOptions.DEFAULT);
    }

    public ChunkingOptions chunking() {
        return new ChunkingOptions(chunkTokens, overlapTokens);
    }

    public static KbConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            KbConfig c = JSON.readValue(Files.readAllBytes(file), KbConfig.class);
            if (c.format() != 1) throw new KnowledgeException(file + " has format " + c.format() + "; this edgebox reads format 1");
            return c;
        } catch (NoSuchFileException e) {
            throw new KnowledgeException("no knowledge base at " + dir + " (" + FILE + " is missing); create it with 'edgebox kb create'", e);
        } catch (IOException e) {
            throw new KnowledgeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes kb.json atomically and durably: a crash leaves the old file or the new one. */
    public void write(Path dir) {
        Path file = dir.resolve(FILE), tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.write(tmp, JSON.writeValueAsBytes(this));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new KnowledgeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
