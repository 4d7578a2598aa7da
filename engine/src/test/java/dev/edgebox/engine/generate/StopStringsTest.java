package dev.edgebox.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    static String feed(StopStrings s, String... pieces) {
        StringBuilder shown = new StringBuilder();
        for (String p : pieces) {
            shown.append(s.add(p));
            if (s.stopped()) return shown.toString();
        }
        return shown.append(s.flush()).toString();
    }

    @Test
    void stopStringSplitAcrossPiecesIsNeverShown() {
        StopStrings s = new StopStrings(List.of("\nUser:"));
        assertEquals("Hello there.", feed(s, "Hello", " there.", "\nUs", "er", ":", " more"));
        assertTrue(s.stopped());
        assertEquals("Hello there.", s.text());
    }

    @Test
    void aPrefixThatDoesNotCompleteIsShownLater() {
        StopStrings s = new StopStrings(List.of("STOP"));
        StringBuilder shown = new StringBuilder();
        shown.append(s.add("a ST"));
        assertEquals("a ", shown.toString(), "'ST' may start the stop string and is held back");
        shown.append(s.add("ART b"));
        assertEquals("a START b", shown.toString());
        assertFalse(s.stopped());
    }

    @Test
    void earliestOfSeveralStopStringsWins() {
        StopStrings s = new StopStrings(List.of("cd", "bc"));
        assertEquals("a", feed(s, "abcd"));
    }

    @Test
    void noStopStringsPassesEverything() {
        StopStrings s = new StopStrings(List.of());
        assertEquals("x", s.add("x"));
        assertEquals("y", s.add("y"));
    }
}
