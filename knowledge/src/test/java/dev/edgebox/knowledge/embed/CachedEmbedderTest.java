package dev.edgebox.knowledge.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedEmbedderTest {
    @TempDir
    Path dir;

    /** The model-free embedder, counting the texts it is asked to embed. */
    static final class Counting implements Embedder {
        final HashingEmbedder inner = new HashingEmbedder();
        final List<String> seen = new ArrayList<>();

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public float[] embedQuery(String query) {
            seen.add("q:" + query);
            return inner.embedQuery(query);
        }

        @Override
        public List<float[]> embedPassages(List<String> passages) {
            passages.forEach(p -> seen.add("p:" + p));
            return inner.embedPassages(passages);
        }

        @Override
        public dev.edgebox.knowledge.chunk.TokenCounter tokenCounter() {
            return inner.tokenCounter();
        }
    }

    private CachedEmbedder cache(Counting model) {
        return new CachedEmbedder(HashingEmbedder.ID, HashingEmbedder.DIMENSION, () -> model, dir);
    }

    @Test
    void embedsEachTextOnceAcrossInstances() {
        HashingEmbedder reference = new HashingEmbedder();
        Counting first = new Counting();
        try (CachedEmbedder c = cache(first)) {
            List<float[]> v = c.embedPassages(List.of("oil the bearings", "replace the filter", "oil the bearings"));
            assertEquals(3, v.size());
            assertArrayEquals(reference.embedPassages(List.of("replace the filter")).getFirst(), v.get(1));
            assertArrayEquals(v.get(0), v.get(2));
            c.embedPassages(List.of("replace the filter", "grease the chain"));
            assertArrayEquals(reference.embedQuery("filter"), c.embedQuery("filter"));
            assertEquals(List.of("p:oil the bearings", "p:replace the filter", "p:grease the chain", "q:filter"), first.seen);
            assertEquals(4, c.size());
        }
        Counting second = new Counting();
        try (CachedEmbedder c = cache(second)) {
            assertEquals(4, c.size());
            assertArrayEquals(reference.embedPassages(List.of("grease the chain")).getFirst(), c.embedPassages(List.of("grease the chain")).getFirst());
            c.embedQuery("filter");
            c.embedQuery("oil the bearings"); // a passage before, a query now: embedded apart
            assertEquals(List.of("q:oil the bearings"), second.seen);
        }
    }

    @Test
    void aRecordCutShortByACrashIsDropped() throws Exception {
        try (CachedEmbedder c = cache(new Counting())) {
            c.embedPassages(List.of("one", "two"));
        }
        Path file = dir.resolve(HashingEmbedder.ID + ".vectors");
        long whole = Files.size(file);
        assertEquals(2 * (32 + 4 * HashingEmbedder.DIMENSION), whole);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(whole - 10);
        }
        Counting model = new Counting();
        try (CachedEmbedder c = cache(model)) {
            assertEquals(1, c.size());
            c.embedPassages(List.of("one", "two"));
            assertEquals(List.of("p:two"), model.seen);
        }
        assertEquals(whole, Files.size(file));
    }

    @Test
    void theModelIsLoadedOnlyWhenATextIsMissing() {
        try (CachedEmbedder c = cache(new Counting())) {
            c.embedPassages(List.of("one"));
        }
        try (CachedEmbedder c = new CachedEmbedder(HashingEmbedder.ID, HashingEmbedder.DIMENSION, () -> {
            throw new AssertionError("loaded");
        }, dir)) {
            assertEquals(1, c.embedPassages(List.of("one")).size());
            assertThrows(AssertionError.class, () -> c.embedQuery("two"));
        }
        assertFalse(Files.exists(dir.resolve(BgeEmbedder.ZH.id() + ".vectors")));
    }
}
