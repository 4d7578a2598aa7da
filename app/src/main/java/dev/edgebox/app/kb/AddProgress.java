package dev.edgebox.app.kb;

import dev.edgebox.knowledge.KnowledgeBase;
import dev.edgebox.knowledge.ingest.Ingestor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Progress of {@code kb add} on stderr: files, pages, chunks per second and an ETA by bytes. On a
 * terminal one line is redrawn; otherwise a line per file.
 */
final class AddProgress implements Ingestor.Listener {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long totalBytes;
    private final long start = System.nanoTime();
    private long doneBytes, lastDraw;
    private final int total;
    private int files, pages, chunks;
    private Path current;

    AddProgress(PrintWriter err, List<Path> files, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        this.total = files.size();
        long sum = 0;
        for (Path f : files) {
            try {
                sum += Files.size(f);
            } catch (IOException e) {
                // reported as a failure when it is read
            }
        }
        this.totalBytes = sum;
    }

    @Override
    public void fileStarted(Path file, int index, int count) {
        current = file;
        draw();
    }

    @Override
    public void chunksEmbedded(int n) {
        chunks += n;
        draw();
    }

    @Override
    public void fileIndexed(Path file, KnowledgeBase.Outcome outcome) {
        finished(file);
        if (outcome.status() != KnowledgeBase.Status.UNCHANGED) pages += outcome.record().pages();
        if (!terminal) {
            err.printf("[%d/%d] %s: %s, %d pages, %d chunks; %s%n", files, total, file.getFileName(), outcome.status().name().toLowerCase(),
                    outcome.record().pages(), outcome.record().chunks(), rates(System.nanoTime()));
            err.flush();
        }
        draw();
    }

    @Override
    public void failed(Path file, String error) {
        finished(file);
        if (terminal) clearLine();
        err.printf("[%d/%d] %s: FAILED: %s%n", files, total, file.getFileName(), error);
        err.flush();
    }

    private void finished(Path file) {
        files++;
        try {
            doneBytes += Files.size(file);
        } catch (IOException e) {
            // unreadable: it failed and is counted as done
        }
    }

    @Override
    public void optimizing() {
        if (terminal) clearLine();
        err.println("merging the index into one segment for faster searches...");
        err.flush();
    }

    /** Erases the progress line before the summary. */
    void done() {
        if (terminal) clearLine();
    }

    private void clearLine() {
        err.print("\r\033[K");
        err.flush();
    }

    private void draw() {
        if (!terminal) return;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        err.printf("\r\033[K[%d/%d files] %d pages, %d chunks, %s  %s", files, total, pages, chunks, rates(now),
                current == null ? "" : current.getFileName());
        err.flush();
    }

    /** "8.1 chunks/s, ETA 0:42": the ETA scales the time so far by the bytes still to read. */
    private String rates(long now) {
        double s = (now - start) / 1e9;
        String eta = doneBytes == 0 || s < 1 ? "--:--" : clock((long) (s * (totalBytes - doneBytes) / doneBytes));
        return String.format("%.1f chunks/s, ETA %s", chunks / Math.max(s, 1e-3), eta);
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
