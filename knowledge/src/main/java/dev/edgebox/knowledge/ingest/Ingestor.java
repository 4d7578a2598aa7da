package dev.edgebox.knowledge.ingest;

import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.KnowledgeBase.Outcome;
import dev.edgebox.knowledge.KnowledgeException;
import dev.edgebox.knowledge.document.Parsers;
import dev.edgebox.knowledge.document.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Adds files to a knowledge base one by one, commits in small groups and acknowledges a document
 * only after the commit that made it durable: what a listener hears as acknowledged survives kill -9.
 * A file that fails is reported and skipped; the others go on.
 */
public final class Ingestor {
    /** Commit at least this often, so a crash loses little work and acknowledgements stay timely. */
    private static final long COMMIT_EVERY_NANOS = 2_000_000_000L;
    private static final int COMMIT_EVERY_DOCUMENTS = 32;
    private static final int SAMPLE_FILES = 8, SAMPLE_CHARS = 100_000;

    /** Progress events, all on the ingesting thread. */
    public interface Listener {
        default void fileStarted(Path file, int index, int total) {}

        default void chunksEmbedded(int chunks) {}

        /** Parsed and indexed, not yet durable. */
        default void fileIndexed(Path file, Outcome outcome) {}

        /** Durable: survives a crash from now on. */
        default void acknowledged(Path file, Outcome outcome) {}

        default void failed(Path file, String error) {}

        /** The index is about to be merged into one segment after a big addition (a minute at 100k chunks). */
        default void optimizing() {}
    }

    /** What an ingestion did. */
    public record Report(int added, int updated, int unchanged, int chunks, int pages, Map<Path, String> errors) {
        public int failed() {
            return errors.size();
        }
    }

    private final KnowledgeBase kb;

    public Ingestor(KnowledgeBase kb) {
        this.kb = kb;
    }

    /** The id a file is known by: its absolute, normalized path. */
    public static String documentId(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    public Report ingest(List<Path> files, Listener listener) {
        if (kb.config().undecided()) decideLanguage(files);
        int added = 0, updated = 0, unchanged = 0, chunks = 0, pages = 0;
        Map<Path, String> errors = new LinkedHashMap<>();
        Map<Path, Outcome> pending = new LinkedHashMap<>();
        long lastCommit = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            listener.fileStarted(file, i, files.size());
            Outcome outcome;
            try {
                outcome = kb.add(SourceFile.read(file), documentId(file), listener::chunksEmbedded);
            } catch (KnowledgeException | UncheckedIOException e) {
                errors.put(file, e.getMessage());
                listener.failed(file, e.getMessage());
                continue;
            } catch (RuntimeException e) { // a parser library choking on a malformed file
                String message = file.getFileName() + ": cannot be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
                errors.put(file, message);
                listener.failed(file, message);
                continue;
            }
            switch (outcome.status()) {
                case ADDED -> added++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
            }
            listener.fileIndexed(file, outcome);
            if (outcome.status() == KnowledgeBase.Status.UNCHANGED) {
                listener.acknowledged(file, outcome); // already durable
                continue;
            }
            chunks += outcome.record().chunks();
            pages += outcome.record().pages();
            pending.put(file, outcome);
            if (pending.size() >= COMMIT_EVERY_DOCUMENTS || System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
                commitAndAcknowledge(pending, listener);
                lastCommit = System.nanoTime();
            }
        }
        commitAndAcknowledge(pending, listener);
        if (kb.worthOptimizing(chunks)) {
            listener.optimizing();
            kb.optimize();
        }
        return new Report(added, updated, unchanged, chunks, pages, errors);
    }

    /**
     * A base created with language auto takes its embedder from the text of the first few files
     * rather than from the first alone, which may be an English README in a Chinese collection.
     */
    private void decideLanguage(List<Path> files) {
        StringBuilder sample = new StringBuilder();
        for (Path file : files.subList(0, Math.min(files.size(), SAMPLE_FILES))) {
            try {
                sample.append(Parsers.parse(SourceFile.read(file)).text());
            } catch (RuntimeException unreadable) {
                continue; // reported when it is added
            }
            if (sample.length() >= SAMPLE_CHARS) break;
        }
        if (!sample.toString().isBlank()) kb.decideLanguage(sample);
    }

    private void commitAndAcknowledge(Map<Path, Outcome> pending, Listener listener) {
        if (pending.isEmpty()) return;
        kb.commit();
        pending.forEach(listener::acknowledged);
        pending.clear();
    }

    /**
     * The files to ingest: files as given, directories walked for the formats we read (hidden files
     * skipped), sorted within each directory.
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(f -> Parsers.supports(f.getFileName().toString()))
                            .sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new KnowledgeException("cannot list " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new KnowledgeException("no such file or directory: " + p);
            }
        }
        return out;
    }
}
