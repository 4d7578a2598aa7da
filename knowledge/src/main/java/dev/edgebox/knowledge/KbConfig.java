package dev.edgebox.knowledge;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgebox.knowledge.chunk.ChunkingOptions;
import dev.edgebox.knowledge.embed.Embedders;
import dev.edgebox.knowledge.embed.Language;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The settings a knowledge base is created with, stored as kb.json beside its index. They cannot
 * change afterwards: the vectors and chunks in the index were made with them. The one exception is
 * a base created with language {@code auto}: it has no embedder until its first documents are
 * added, and is then given the bundled embedder for their language, once.
 *
 * @param embedder the embedder id; null while an {@code auto} base has no documents
 * @param dimension its vector size; 0 while there is no embedder
 * @param language {@code auto}, {@code zh} or {@code en} as asked at creation; null when an embedder
 *     was named instead (and in files written before languages existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KbConfig(int format, String embedder, int dimension, int chunkTokens, int overlapTokens, long createdAt, String language) {
    public static final String FILE = "kb.json";
    public static final String AUTO = "auto";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A base with this embedder, whatever the language of its documents. */
    public static KbConfig of(String embedder, int dimension, ChunkingOptions chunking) {
        return new KbConfig(1, embedder, dimension, chunking.chunkTokens(), chunking.overlapTokens(), System.currentTimeMillis(), null);
    }

    /**
     * A base whose embedder follows a language: {@code zh} or {@code en} now, or {@code auto} to
     * detect it from the first documents added.
     */
    public static KbConfig forLanguage(String language, ChunkingOptions chunking) {
        String l = language.trim().toLowerCase(Locale.ROOT);
        String embedder = l.equals(AUTO) ? null : Language.parse(l).embedder();
        return new KbConfig(1, embedder, embedder == null ? 0 : Embedders.dimension(embedder), chunking.chunkTokens(),
                chunking.overlapTokens(), System.currentTimeMillis(), l);
    }

    /** Language auto, 384-token chunks with 64 overlap. */
    public static KbConfig defaults() {
        return forLanguage(AUTO, ChunkingOptions.DEFAULT);
    }

    /** True for an {@code auto} base that has not seen a document yet. */
    public boolean undecided() {
        return embedder == null;
    }

    /** These settings with the embedder for a language (an {@code auto} base's first documents). */
    public KbConfig decide(Language detected) {
        String id = detected.embedder();
        return new KbConfig(format, id, Embedders.dimension(id), chunkTokens, overlapTokens, createdAt, language);
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
