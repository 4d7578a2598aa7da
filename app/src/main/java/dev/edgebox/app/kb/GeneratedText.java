package dev.edgebox.app.kb;

import dev.edgebox.knowledge.eval.BeirDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * English-looking documents and queries for the benchmark when no real corpus is at hand: words
 * made of syllables, drawn with Zipf's law (a few very common, a long tail of rare ones) as in real
 * text, so that postings lists have realistic lengths. Deterministic for a seed.
 */
final class GeneratedText {
    private static final String[] SYLLABLES = {"ka", "ro", "mi", "te", "sun", "pla", "dor", "vi", "ne", "gu", "tra", "lo", "zen",
            "ba", "cor", "ith", "al", "mon", "e", "u", "ster", "qui", "fa", "gen", "ox", "ly"};
    private static final int VOCABULARY = 20_000;

    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];
    private final Random random;

    GeneratedText(long seed) {
        random = new Random(seed);
        Random w = new Random(1);
        for (int i = 0; i < VOCABULARY; i++) {
            StringBuilder sb = new StringBuilder();
            int syllables = 1 + Math.min(4, i / 200 == 0 ? 0 : 1 + w.nextInt(3));
            for (int s = 0; s < syllables; s++) sb.append(SYLLABLES[w.nextInt(SYLLABLES.length)]);
            words[i] = sb.toString();
        }
        double sum = 0;
        for (int i = 0; i < VOCABULARY; i++) cumulative[i] = sum += 1.0 / (i + 1);
        for (int i = 0; i < VOCABULARY; i++) cumulative[i] /= sum;
    }

    private String word() {
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        return words[Math.min(VOCABULARY - 1, i < 0 ? -i - 1 : i)];
    }

    private String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(word());
        return sb.toString();
    }

    private String sentence() {
        String s = words(8 + random.nextInt(16));
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    /** Documents of a title and 4 to 14 sentences (about 80 to 300 words). */
    List<BeirDataset.Doc> documents(int n) {
        List<BeirDataset.Doc> docs = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            StringBuilder text = new StringBuilder();
            for (int s = 4 + random.nextInt(11); s > 0; s--) text.append(text.isEmpty() ? "" : " ").append(sentence());
            docs.add(new BeirDataset.Doc("g" + d, words(3 + random.nextInt(5)), text.toString()));
        }
        return docs;
    }

    /** Queries of 4 to 10 words, half taken from a document (so they have answers), half drawn afresh. */
    List<String> queries(List<BeirDataset.Doc> docs, int n) {
        List<String> out = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            int len = 4 + random.nextInt(7);
            if (q % 2 == 0 && !docs.isEmpty()) {
                String[] w = docs.get(random.nextInt(docs.size())).text().split("\\s+");
                int from = random.nextInt(Math.max(1, w.length - len));
                out.add(String.join(" ", Arrays.copyOfRange(w, from, Math.min(w.length, from + len))));
            } else {
                out.add(words(len));
            }
        }
        return out;
    }
}
