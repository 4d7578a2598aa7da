package dev.edgebox.knowledge.embed;

import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.chunk.TokenCounter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers every vector an embedder made, in one file per model under a cache directory, keyed by
 * the SHA-256 of the text (queries and passages apart, as they are embedded differently). Running
 * an evaluation again, or rebuilding an index with other keyword settings, then costs no model
 * time. The model itself is loaded only when a text is missing from the cache.
 *
 * <p>The file is a sequence of records: 32 bytes of key, then the vector as little-endian floats.
 * Records are appended; a record cut short by a crash is dropped on the next open.
 */
public final class CachedEmbedder implements Embedder {
    private static final int KEY_BYTES = 32;

    private final String id;
    private final int dimension;
    private final Supplier<Embedder> loader;
    private final Path file;
    private final Map<ByteBuffer, float[]> vectors = new HashMap<>();
    private Embedder model;
    private FileChannel out;

    /**
     * @param loader makes the real embedder when first needed; this object closes it
     */
    public CachedEmbedder(String id, int dimension, Supplier<Embedder> loader, Path dir) {
        this.id = id;
        this.dimension = dimension;
        this.loader = loader;
        this.file = dir.resolve(id + ".vectors");
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) load();
        } catch (IOException e) {
            throw new KnowledgeException("cannot read the embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** A cache in {@code dir} in front of the embedder with this id. */
    public static CachedEmbedder of(String id, Path dir) {
        return new CachedEmbedder(id, Embedders.dimension(id), () -> Embedders.create(id), dir);
    }

    private void load() throws IOException {
        int record = KEY_BYTES + 4 * dimension;
        byte[] all = Files.readAllBytes(file);
        int whole = all.length / record;
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < whole; r++) {
            byte[] key = new byte[KEY_BYTES];
            b.get(key);
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) v[i] = b.getFloat();
            vectors.put(ByteBuffer.wrap(key), v);
        }
        if (all.length % record != 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate((long) whole * record);
            }
        }
    }

    /** How many vectors the cache holds. */
    public synchronized int size() {
        return vectors.size();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public synchronized float[] embedQuery(String query) {
        ByteBuffer key = key("query", query);
        float[] v = vectors.get(key);
        if (v == null) {
            v = model().embedQuery(query);
            remember(List.of(key), List.of(v));
        }
        return v.clone();
    }

    @Override
    public synchronized List<float[]> embedPassages(List<String> passages) {
        List<ByteBuffer> keys = new ArrayList<>(passages.size());
        List<String> missing = new ArrayList<>();
        List<ByteBuffer> missingKeys = new ArrayList<>();
        for (String p : passages) {
            ByteBuffer k = key("passage", p);
            keys.add(k);
            if (!vectors.containsKey(k) && !missingKeys.contains(k)) {
                missing.add(p);
                missingKeys.add(k);
            }
        }
        if (!missing.isEmpty()) remember(missingKeys, model().embedPassages(missing));
        List<float[]> out = new ArrayList<>(passages.size());
        for (ByteBuffer k : keys) out.add(vectors.get(k).clone());
        return out;
    }

    @Override
    public synchronized TokenCounter tokenCounter() {
        return model().tokenCounter();
    }

    private Embedder model() {
        if (model == null) {
            Embedder m = loader.get();
            if (!m.id().equals(id) || m.dimension() != dimension) {
                m.close();
                throw new IllegalStateException("the cache of " + id + " was given the embedder " + m.id());
            }
            model = m;
        }
        return model;
    }

    private void remember(List<ByteBuffer> keys, List<float[]> made) {
        ByteBuffer b = ByteBuffer.allocate(keys.size() * (KEY_BYTES + 4 * dimension)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < keys.size(); i++) {
            float[] v = made.get(i);
            if (v.length != dimension) throw new IllegalStateException(id + " made a vector of " + v.length + " dimensions");
            vectors.put(keys.get(i), v.clone());
            b.put(keys.get(i).duplicate());
            for (float x : v) b.putFloat(x);
        }
        b.flip();
        try {
            if (out == null) out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            while (b.hasRemaining()) out.write(b);
        } catch (IOException e) {
            throw new KnowledgeException("cannot write the embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer key(String kind, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            return ByteBuffer.wrap(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            throw new KnowledgeException("cannot close the embedding cache " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
            if (model != null) model.close();
            model = null;
        }
    }
}
