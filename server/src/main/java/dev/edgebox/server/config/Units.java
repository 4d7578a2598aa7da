package dev.edgebox.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes ("64m", "1g", bytes) and durations ("30s", "5m", "500ms", seconds) as people write them in config files. */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Units() {}

    /** Bytes of a size such as 512k, 64m, 2g, 1.5GiB or a plain number of bytes; null if it is none of these. */
    static Long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return (long) (v * (1L << shift));
    }

    /** A duration such as 500ms, 30s, 5m, 1h or a plain number of seconds; null if it is none of these. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis((long) millis);
    }

    /** 1536 -> "1.5 KiB". */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
