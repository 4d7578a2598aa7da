package dev.edgebox.knowledge;

import dev.edgebox.knowledge.embed.Embedder;
import dev.edgebox.knowledge.embed.Embedders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The knowledge bases under one root directory, by name; by default ~/.edgebox/kb, or
 * $EDGEBOX_HOME/kb. Open bases and loaded embedders are shared and closed with this object, so a
 * server keeps one model in memory for all its bases.
 */
public final class KnowledgeBases implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path root;
    private final Map<String, KnowledgeBase> open = new HashMap<>();
    private final Map<String, Embedder> embedders = new HashMap<>();

    public KnowledgeBases(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default root: $EDGEBOX_HOME/kb when set, else ~/.edgebox/kb. */
    public static Path defaultRoot() {
        String home = System.getenv("EDGEBOX_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).resolve("kb");
        return Path.of(System.getProperty("user.home"), ".edgebox", "kb");
    }

    public Path root() {
        return root;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new KnowledgeException("bad knowledge base name '" + name + "'; expected letters, digits, '.', '_' or '-' (at most 64, not starting with a symbol)");
        }
    }

    public Path dir(String name) {
        checkName(name);
        return root.resolve(name);
    }

    public boolean exists(String name) {
        return Files.exists(dir(name).resolve(KbConfig.FILE));
    }

    /** Names of the knowledge bases, sorted. */
    public List<String> names() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            List<String> names = new ArrayList<>();
            s.filter(p -> Files.exists(p.resolve(KbConfig.FILE))).map(p -> p.getFileName().toString()).forEach(names::add);
            names.sort(Comparator.naturalOrder());
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized KnowledgeBase create(String name, KbConfig config) {
        if (exists(name)) throw new KnowledgeException("knowledge base '" + name + "' already exists in " + root);
        KnowledgeBase kb = KnowledgeBase.create(dir(name), config, this::embedder);
        open.put(name, kb);
        return kb;
    }

    /** An existing knowledge base, opened once and shared. */
    public synchronized KnowledgeBase get(String name) {
        KnowledgeBase kb = open.get(name);
        if (kb != null) return kb;
        if (!exists(name)) {
            throw new KnowledgeException("no knowledge base named '" + name + "' in " + root + "; create it with 'edgebox kb create " + name + "'");
        }
        kb = KnowledgeBase.open(dir(name), this::embedder);
        open.put(name, kb);
        return kb;
    }

    /** Deletes a knowledge base and its files. */
    public synchronized void drop(String name) {
        KnowledgeBase kb = open.remove(name);
        if (kb != null) kb.close();
        Path dir = dir(name);
        if (!exists(name)) throw new KnowledgeException("no knowledge base named '" + name + "' in " + root);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new KnowledgeException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One embedder per id for all bases. */
    public synchronized Embedder embedder(String id) {
        return embedders.computeIfAbsent(id, Embedders::create);
    }

    @Override
    public synchronized void close() {
        open.values().forEach(KnowledgeBase::close);
        open.clear();
        embedders.values().forEach(Embedder::close);
        embedders.clear();
    }
}
