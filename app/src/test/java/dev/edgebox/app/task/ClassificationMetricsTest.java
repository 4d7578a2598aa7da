package dev.edgebox.app.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand (and by the few lines of Python in the comments). */
class ClassificationMetricsTest {
    static final double EPS = 1e-12;

    @Test
    void threeClassesWithAMissingAnswer() {
        // gold a a a b b c, predicted a b - b b a:
        //   a: tp 1, predicted 2, support 3 -> P 1/2, R 1/3, F1 2(1/6)/(5/6) = 0.4
        //   b: tp 2, predicted 3, support 2 -> P 2/3, R 1,   F1 (4/3)/(5/3) = 0.8
        //   c: tp 0, predicted 0, support 1 -> F1 0
        //   macro-F1 (0.4 + 0.8 + 0) / 3 = 0.4; accuracy 3/6
        ClassificationMetrics m = new ClassificationMetrics(List.of("a", "a", "a", "b", "b", "c"), Arrays.asList("a", "b", null, "b", "b", "a"));
        assertEquals(6, m.total());
        assertEquals(3, m.correct());
        assertEquals(0.5, m.accuracy(), EPS);
        assertEquals(0.4, m.macroF1(), EPS);
        List<ClassificationMetrics.ClassScore> s = m.perClass();
        assertEquals(new ClassificationMetrics.ClassScore("a", 3, 2, 1, 0.5, 1 / 3.0, 0.4).label(), s.get(0).label());
        assertEquals(0.5, s.get(0).precision(), EPS);
        assertEquals(1 / 3.0, s.get(0).recall(), EPS);
        assertEquals(0.4, s.get(0).f1(), EPS);
        assertEquals(2 / 3.0, s.get(1).precision(), EPS);
        assertEquals(1.0, s.get(1).recall(), EPS);
        assertEquals(0.8, s.get(1).f1(), EPS);
        assertEquals(0.0, s.get(2).f1(), EPS);
        assertEquals(List.of("a", "b", "c"), m.classes());
        assertEquals(List.of("a", "b", "c", "(none)"), m.columns());
        assertArrayEquals(new int[] {1, 1, 0, 1}, m.confusion()[0]);
        assertArrayEquals(new int[] {0, 2, 0, 0}, m.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 0, 0}, m.confusion()[2]);
    }

    @Test
    void aClassOnlyPredictedCountsWithFScoreZero() {
        // gold x x, predicted x y: x has P 1, R 1/2, F1 2/3; y has F1 0; macro-F1 1/3.
        ClassificationMetrics m = new ClassificationMetrics(List.of("x", "x"), List.of("x", "y"));
        assertEquals(List.of("x", "y"), m.columns());
        assertEquals(1 / 3.0, m.macroF1(), EPS);
        assertEquals(0.5, m.accuracy(), EPS);
    }

    @Test
    void perfectBinaryAndTheReport() {
        ClassificationMetrics m = new ClassificationMetrics(List.of("positive", "negative", "negative"), List.of("positive", "negative", "negative"));
        assertEquals(1.0, m.accuracy(), EPS);
        assertEquals(1.0, m.macroF1(), EPS);
        String report = m.report();
        assertTrue(report.startsWith("items 3, correct 3\naccuracy  1.0000\nmacro-F1  1.0000\n"), report);
        assertTrue(report.contains("negative  2         0"), report);
        assertEquals(2, ((java.util.Map<?, ?>) m.toMap().get("per_class")).size());
    }
}
