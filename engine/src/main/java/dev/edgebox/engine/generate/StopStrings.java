package dev.edgebox.engine.generate;

import java.util.List;

/**
 * Finds stop strings in streamed text and holds back just enough to never emit the start of one:
 * text that could still become a stop string stays pending until the next piece decides it.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops;
    }

    /** Adds generated text; returns what may be shown now (never part of a stop string). */
    String add(String piece) {
        if (stopped) return "";
        text.append(piece);
        int cut = -1;
        for (String s : stops) {
            int from = Math.max(0, emitted - s.length() + 1);
            int at = text.indexOf(s, from);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            stopped = true;
            text.setLength(cut);
            return take(cut);
        }
        int hold = 0;
        for (String s : stops) hold = Math.max(hold, partialSuffix(s));
        return take(text.length() - hold);
    }

    /** Everything not shown yet (at the end, when no stop string can complete any more). */
    String flush() {
        return take(text.length());
    }

    boolean stopped() {
        return stopped;
    }

    /** The full text, cut before the stop string if one was found. */
    String text() {
        return text.toString();
    }

    private String take(int upTo) {
        if (upTo <= emitted) return "";
        String out = text.substring(emitted, upTo);
        emitted = upTo;
        return out;
    }

    /** Length of the longest suffix of the text that is a proper prefix of s. */
    private int partialSuffix(String s) {
        int max = Math.min(s.length() - 1, text.length() - emitted);
        for (int n = max; n > 0; n--) {
            if (CharSequence.compare(text.subSequence(text.length() - n, text.length()), s.subSequence(0, n)) == 0) return n;
        }
        return 0;
    }
}
