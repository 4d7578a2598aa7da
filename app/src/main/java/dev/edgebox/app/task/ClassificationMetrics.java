package dev.edgebox.app.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix of predicted labels
 * against gold ones. The classes are the gold labels and the labels predicted, so a class the model
 * predicts but the data never has scores an F1 of 0 (scikit-learn's macro average with
 * zero_division=0). An item without a valid answer is predicted as {@link #NONE}: it counts as
 * wrong (lowering the recall of its gold class) and gets a column of its own in the matrix, but it
 * is not a class.
 */
final class ClassificationMetrics {
    static final String NONE = "(none)";

    record ClassScore(String label, int support, int predicted, int correct, double precision, double recall, double f1) {}

    private final List<String> classes;
    private final List<String> columns;
    private final int[][] confusion;
    private final int total;
    private final int correct;

    /** @param predicted parallel to gold; null (or NONE) for items without a valid answer */
    ClassificationMetrics(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) throw new IllegalArgumentException("gold and predicted differ in length");
        TreeSet<String> labels = new TreeSet<>(gold);
        boolean none = false;
        for (String p : predicted) {
            if (p == null || p.equals(NONE)) none = true;
            else labels.add(p);
        }
        classes = List.copyOf(labels);
        List<String> cols = new ArrayList<>(classes);
        if (none) cols.add(NONE);
        columns = List.copyOf(cols);
        confusion = new int[classes.size()][columns.size()];
        int ok = 0;
        for (int i = 0; i < gold.size(); i++) {
            String p = predicted.get(i) == null ? NONE : predicted.get(i);
            confusion[classes.indexOf(gold.get(i))][columns.indexOf(p)]++;
            if (p.equals(gold.get(i))) ok++;
        }
        total = gold.size();
        correct = ok;
    }

    int total() {
        return total;
    }

    int correct() {
        return correct;
    }

    double accuracy() {
        return total == 0 ? 0 : correct / (double) total;
    }

    /** Gold and predicted labels, sorted: the rows of the matrix. */
    List<String> classes() {
        return classes;
    }

    /** The classes, and {@link #NONE} when some item had no valid answer: the matrix's columns. */
    List<String> columns() {
        return columns;
    }

    /** counts[gold row][predicted column]. */
    int[][] confusion() {
        return confusion;
    }

    List<ClassScore> perClass() {
        List<ClassScore> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            int support = 0, predicted = 0;
            for (int j = 0; j < columns.size(); j++) support += confusion[c][j];
            for (int g = 0; g < classes.size(); g++) predicted += confusion[g][c];
            int tp = confusion[c][c];
            double p = predicted == 0 ? 0 : tp / (double) predicted;
            double r = support == 0 ? 0 : tp / (double) support;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            out.add(new ClassScore(classes.get(c), support, predicted, tp, p, r, f1));
        }
        return out;
    }

    double macroF1() {
        List<ClassScore> scores = perClass();
        return scores.isEmpty() ? 0 : scores.stream().mapToDouble(ClassScore::f1).sum() / scores.size();
    }

    /** The report as text: summary, per-class scores, confusion matrix (rows gold, columns predicted). */
    String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "items %d, correct %d%naccuracy  %.4f%nmacro-F1  %.4f%n%n", total, correct, accuracy(), macroF1()));
        int w = Math.max(10, columns.stream().mapToInt(ClassificationMetrics::width).max().orElse(0) + 2);
        b.append(pad("class", w)).append(String.format(Locale.ROOT, "%10s %10s %10s %8s%n", "precision", "recall", "f1", "support"));
        for (ClassScore s : perClass()) {
            b.append(pad(s.label(), w)).append(String.format(Locale.ROOT, "%10.4f %10.4f %10.4f %8d%n", s.precision(), s.recall(), s.f1(), s.support()));
        }
        b.append("\nconfusion matrix (rows: gold, columns: predicted)\n").append(pad("", w));
        for (String c : columns) b.append(pad(c, w));
        b.append('\n');
        for (int g = 0; g < classes.size(); g++) {
            b.append(pad(classes.get(g), w));
            for (int j = 0; j < columns.size(); j++) b.append(pad(Integer.toString(confusion[g][j]), w));
            b.append('\n');
        }
        return b.toString();
    }

    /** The numbers as a map, for --json. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", total);
        m.put("correct", correct);
        m.put("accuracy", accuracy());
        m.put("macro_f1", macroF1());
        Map<String, Object> per = new LinkedHashMap<>();
        for (ClassScore s : perClass()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("precision", s.precision());
            c.put("recall", s.recall());
            c.put("f1", s.f1());
            c.put("support", s.support());
            per.put(s.label(), c);
        }
        m.put("per_class", per);
        Map<String, Object> matrix = new LinkedHashMap<>();
        for (int g = 0; g < classes.size(); g++) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) row.put(columns.get(j), confusion[g][j]);
            matrix.put(classes.get(g), row);
        }
        m.put("confusion", matrix);
        return m;
    }

    /** Display width: CJK characters take two columns. */
    static int width(String s) {
        return s.codePoints().map(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN ? 2 : 1).sum();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(1, w - width(s)));
    }
}
