package dev.edgebox.engine.lora;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The adapters kept on the box, by name and version:
 * <pre>
 *   ROOT/NAME/current          the active version number
 *   ROOT/NAME/v1/              adapter_config.json + adapter_model.safetensors, or adapter.gguf
 *   ROOT/NAME/v1/version.properties   where it came from and when
 *   ROOT/NAME/v2/ ...
 * </pre>
 * Adding under an existing name creates the next version and makes it current; older versions stay
 * for {@link #rollback}. Files are copied in (only the adapter files), each version appears by an
 * atomic rename, and {@code current} is replaced atomically, so a crash never leaves a half version
 * current. One process writes at a time (methods are synchronized; there is no cross-process lock).
 */
public final class AdapterStore {
    public static final String GGUF_FILE = "adapter.gguf";
    private static final String CURRENT = "current";
    private static final String INFO = "version.properties";

    /** One stored version. */
    public record Version(String name, int number, Path path, boolean current, String source, Instant added, long bytes) {
        public String label() {
            return name + "@" + number;
        }
    }

    /** A named adapter and its versions, oldest first. */
    public record Entry(String name, int current, List<Version> versions) {
        public Version currentVersion() {
            for (Version v : versions) if (v.number == current) return v;
            throw new IllegalStateException(name + " has no version " + current);
        }
    }

    private final Path root;

    public AdapterStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** $EDGEBOX_HOME/adapters, or ~/.edgebox/adapters. */
    public static Path defaultRoot() {
        String home = System.getenv("EDGEBOX_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).resolve("adapters");
        return Path.of(System.getProperty("user.home"), ".edgebox", "adapters");
    }

    public Path root() {
        return root;
    }

    public synchronized List<Entry> list() {
        if (!Files.isDirectory(root)) return List.of();
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.sorted().toList()) {
                String n = d.getFileName().toString();
                if (AdapterSpec.validName(n) && Files.isRegularFile(d.resolve(CURRENT))) out.add(read(n));
            }
        } catch (IOException e) {
            throw new EngineException("cannot list the adapter directory " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    public synchronized boolean contains(String name) {
        return AdapterSpec.validName(name) && Files.isRegularFile(root.resolve(name).resolve(CURRENT));
    }

    /** The adapter of this name, or a one-line error listing what the store holds. */
    public synchronized Entry get(String name) {
        if (!contains(name)) {
            List<String> names = list().stream().map(Entry::name).toList();
            throw new EngineException("no adapter named " + EngineException.quote(name) + " in " + root
                    + (names.isEmpty() ? " (it is empty)" : "; it holds " + String.join(", ", names)));
        }
        return read(name);
    }

    /**
     * Copies the adapter at source (PEFT directory or LoRA .gguf) in as the next version of name and
     * makes it current. Only the file format is checked here; the caller checks it against a base.
     */
    public synchronized Version add(String name, Path source) {
        AdapterSpec.requireValidName(name);
        checkFormat(source);
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
            int next = versionsOf(dir).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            Path tmp = dir.resolve(".incoming-v" + next);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            if (PeftAdapterReader.isPeftDirectory(source)) {
                Files.copy(source.resolve(PeftAdapterReader.CONFIG), tmp.resolve(PeftAdapterReader.CONFIG));
                Files.copy(source.resolve(PeftAdapterReader.WEIGHTS), tmp.resolve(PeftAdapterReader.WEIGHTS));
            } else {
                Files.copy(ggufOf(source), tmp.resolve(GGUF_FILE));
            }
            Properties info = new Properties();
            info.setProperty("source", source.toAbsolutePath().normalize().toString());
            info.setProperty("added", Instant.now().toString());
            try (Writer w = Files.newBufferedWriter(tmp.resolve(INFO), StandardCharsets.UTF_8)) {
                info.store(w, "edgebox adapter version");
            }
            Files.move(tmp, dir.resolve("v" + next), StandardCopyOption.ATOMIC_MOVE);
            setCurrent(dir, next);
            return read(name).versions().stream().filter(v -> v.number == next).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new EngineException("cannot store adapter " + EngineException.quote(name) + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes the version before the current one current again; the newer one stays on disk. */
    public synchronized Version rollback(String name) {
        Entry e = get(name);
        int previous = e.versions().stream().mapToInt(Version::number).filter(n -> n < e.current()).max().orElse(-1);
        if (previous < 0) {
            throw new EngineException("adapter " + EngineException.quote(name) + " has no version before v" + e.current() + " to roll back to");
        }
        return activate(name, previous);
    }

    /** Makes a stored version current. */
    public synchronized Version activate(String name, int version) {
        Entry e = get(name);
        Version v = e.versions().stream().filter(x -> x.number == version).findFirst().orElseThrow(() -> new EngineException(
                "adapter " + EngineException.quote(name) + " has no version " + version + " (it has "
                        + String.join(", ", e.versions().stream().map(x -> "v" + x.number).toList()) + ")"));
        try {
            setCurrent(root.resolve(name), version);
        } catch (IOException ex) {
            throw new EngineException("cannot update adapter " + EngineException.quote(name) + ": " + ex.getMessage(), ex);
        }
        return new Version(v.name, v.number, v.path, true, v.source, v.added, v.bytes);
    }

    /** Deletes an adapter and all its versions. */
    public synchronized void remove(String name) {
        get(name);
        Path dir = root.resolve(name);
        try {
            // Renamed first so a crash mid-delete never leaves a half adapter under its name.
            Path trash = root.resolve("." + name + ".removed-" + System.nanoTime());
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(trash);
        } catch (IOException e) {
            throw new EngineException("cannot remove adapter " + EngineException.quote(name) + ": " + e.getMessage(), e);
        }
    }

    /** Deletes one version that is not the current one. */
    public synchronized void removeVersion(String name, int version) {
        Entry e = get(name);
        if (version == e.current()) {
            throw new EngineException("v" + version + " is the current version of " + EngineException.quote(name)
                    + "; roll back or add a new version first, or remove the whole adapter");
        }
        if (e.versions().stream().noneMatch(v -> v.number == version)) {
            throw new EngineException("adapter " + EngineException.quote(name) + " has no version " + version);
        }
        try {
            deleteTree(root.resolve(name).resolve("v" + version));
        } catch (IOException ex) {
            throw new EngineException("cannot remove v" + version + " of " + EngineException.quote(name) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A path given by a client, resolved against the root and refused unless it lies inside it
     * (after following symbolic links), so an API caller cannot make the server read arbitrary files.
     */
    public Path resolveInside(String path) {
        if (path == null || path.isBlank()) throw new EngineException("no adapter path given");
        Path rootReal;
        try {
            rootReal = root.toRealPath();
        } catch (IOException e) {
            throw new EngineException("the adapter directory " + root + " does not exist");
        }
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root)) throw outside(path);
        if (!Files.exists(p)) throw new EngineException("adapter path " + EngineException.quote(path) + " does not exist in " + root);
        try {
            if (!p.toRealPath().startsWith(rootReal)) throw outside(path);
        } catch (IOException e) {
            throw new EngineException("cannot resolve adapter path " + EngineException.quote(path) + ": " + e.getMessage(), e);
        }
        return p;
    }

    private EngineException outside(String path) {
        return new EngineException("adapter path " + EngineException.quote(path) + " is outside the adapter directory " + root);
    }

    private Entry read(String name) {
        Path dir = root.resolve(name);
        int current;
        try {
            current = Integer.parseInt(Files.readString(dir.resolve(CURRENT), StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            throw new EngineException("adapter " + EngineException.quote(name) + " in " + root + " has a damaged 'current' file");
        }
        List<Version> versions = new ArrayList<>();
        for (int n : versionsOf(dir)) {
            Path v = dir.resolve("v" + n);
            Properties info = new Properties();
            try (Reader r = Files.newBufferedReader(v.resolve(INFO), StandardCharsets.UTF_8)) {
                info.load(r);
            } catch (IOException missing) {
                // a version copied in by hand: no provenance
            }
            Instant added = info.getProperty("added") != null ? Instant.parse(info.getProperty("added")) : null;
            versions.add(new Version(name, n, v, n == current, info.getProperty("source", ""), added, sizeOf(v)));
        }
        if (versions.stream().noneMatch(Version::current)) {
            throw new EngineException("adapter " + EngineException.quote(name) + " in " + root + " points at v" + current + ", which is missing");
        }
        return new Entry(name, current, List.copyOf(versions));
    }

    private static List<Integer> versionsOf(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("v\\d{1,9}") && Files.isDirectory(dir.resolve(n)))
                    .map(n -> Integer.parseInt(n.substring(1))).sorted().toList();
        } catch (IOException e) {
            throw new EngineException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void setCurrent(Path dir, int version) throws IOException {
        Path tmp = dir.resolve(CURRENT + ".tmp");
        Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A PEFT directory with readable config and safetensors header, or a GGUF whose type is adapter. */
    private static void checkFormat(Path source) {
        if (PeftAdapterReader.isPeftDirectory(source)) {
            PeftConfig.read(source.resolve(PeftAdapterReader.CONFIG));
            Path weights = source.resolve(PeftAdapterReader.WEIGHTS);
            if (!Files.isRegularFile(weights)) throw new EngineException(source + " is not a PEFT adapter: it has no " + PeftAdapterReader.WEIGHTS);
            try (Safetensors st = Safetensors.open(weights)) {
                if (st.tensors().isEmpty()) throw new EngineException(weights + " holds no tensors");
            }
            return;
        }
        Path gguf = ggufOf(source);
        try (GgufFile f = GgufFile.open(gguf)) {
            if (!f.metadata().getString("general.type", "").equals("adapter")) {
                throw new EngineException(gguf + " is not a LoRA adapter GGUF (general.type is not 'adapter')");
            }
        }
    }

    private static Path ggufOf(Path source) {
        if (Files.isRegularFile(source)) return source;
        if (Files.isDirectory(source)) {
            Path g = LoraFiles.singleGguf(source);
            if (g != null) return g;
            throw new EngineException(source + " holds neither " + PeftAdapterReader.CONFIG + " (a PEFT adapter) nor one .gguf LoRA file");
        }
        throw new EngineException("adapter not found: " + source + " (expected a PEFT adapter directory or a LoRA .gguf file)");
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
