package dev.edgebox.app.task;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr: items done of the total, items per second, and the time left at that
 * rate. On a terminal one line is redrawn; otherwise a line is printed every few seconds. Items
 * done by an earlier run (resumed) count toward the total but not toward the rate.
 */
final class Progress {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    private final int total;
    private final int resumed;
    private final long start;
    private int done;
    private long lastDraw;

    Progress(PrintWriter err, boolean terminal, int total, int resumed, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.resumed = resumed;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start;
    }

    /** A bar on err, redrawn in place when the process has a terminal. */
    static Progress onConsole(PrintWriter err, int total, int resumed) {
        return new Progress(err, System.console() != null, total, resumed, System::nanoTime);
    }

    /** One more item done. */
    synchronized void tick() {
        done++;
        long now = clock.getAsLong();
        if (now - lastDraw < (terminal ? REDRAW_NANOS : LOG_NANOS) && resumed + done < total) return;
        lastDraw = now;
        String line = line(resumed + done, total, done, (now - start) / 1e9);
        if (terminal) err.print("\r\033[K" + line);
        else err.println(line);
        err.flush();
    }

    /** Ends the bar's line. */
    synchronized void finish() {
        if (terminal && done > 0) err.println();
        err.flush();
    }

    /**
     * "[#########---------------] 120/1000  12.0%  3.1 items/s  ETA 4:43".
     *
     * @param finished items finished, resumed ones included
     * @param thisRun  items finished by this run, which set the rate
     */
    static String line(int finished, int total, int thisRun, double seconds) {
        double fraction = total == 0 ? 1 : finished / (double) total;
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = seconds > 0 ? thisRun / seconds : 0;
        String eta = rate > 0 ? clock(Math.round((total - finished) / rate)) : "--:--";
        return String.format(Locale.ROOT, "[%s%s] %d/%d  %.1f%%  %.2f items/s  ETA %s", "#".repeat(filled), "-".repeat(WIDTH - filled),
                finished, total, fraction * 100, rate, eta);
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
