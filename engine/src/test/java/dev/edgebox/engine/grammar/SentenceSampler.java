package dev.edgebox.engine.grammar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Random sentences of a grammar, byte by byte through the automaton, for tests that need many
 * outputs without a model. Past a soft length budget it steers to the nearest end: each choice
 * then goes to a state with the fewest bytes left to finish (from each rule's shortest sentence).
 */
final class SentenceSampler {
    private static final long INF = Long.MAX_VALUE / 4;
    private final Grammar g;
    private final Automaton automaton;
    private final long[] ruleMin;

    SentenceSampler(Grammar g) {
        this.g = g;
        this.automaton = new Automaton(g);
        this.ruleMin = shortestPerRule(g);
    }

    /** One sentence; null if the walk got stuck (it must not for grammars whose rules all finish). */
    String sample(Random r, int budget) {
        Automaton.State s = automaton.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (s.complete()) break;
            if (s.accepting && r.nextInt(out.size() > budget ? 2 : 12) == 0) break;
            int[] allowed = new int[256];
            int n = 0;
            for (int b = 0; b < 256; b++) if (automaton.step(s, b) != automaton.dead) allowed[n++] = b;
            if (n == 0) return null;
            int pick;
            if (out.size() <= budget) {
                pick = allowed[r.nextInt(n)];
            } else {
                long best = Long.MAX_VALUE;
                pick = allowed[0];
                for (int i = 0; i < n; i++) {
                    long d = distance(automaton.step(s, allowed[i]));
                    if (d < best || d == best && r.nextBoolean()) {
                        best = d;
                        pick = allowed[i];
                    }
                }
            }
            out.write(pick);
            s = automaton.step(s, pick);
            if (out.size() > budget * 20 + 10_000) return null;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Bytes still needed to finish from a state: the cheapest stack's remaining elements. */
    private long distance(Automaton.State s) {
        if (s.accepting) return 0;
        long best = Long.MAX_VALUE;
        for (Automaton.Frame f : s.frames) {
            long d = 0;
            for (Automaton.Frame x = f; x != null; x = x.next) d += restOf(x.pos);
            best = Math.min(best, d);
        }
        return best;
    }

    private long restOf(int pos) {
        long d = 0;
        for (int p = pos; g.kind[p] != Grammar.END; p++) d += g.kind[p] == Grammar.BYTES ? 1 : ruleMin[g.arg[p]];
        return d;
    }

    private static long[] shortestPerRule(Grammar g) {
        long[] min = new long[g.alternatives.length];
        Arrays.fill(min, INF);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < min.length; r++) {
                for (int start : g.alternatives[r]) {
                    long d = 0;
                    for (int p = start; g.kind[p] != Grammar.END; p++) d = Math.min(INF, d + (g.kind[p] == Grammar.BYTES ? 1 : min[g.arg[p]]));
                    if (d < min[r]) {
                        min[r] = d;
                        changed = true;
                    }
                }
            }
        }
        return min;
    }
}
