package dev.edgebox.engine.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Lowers rule expressions to {@link Grammar}'s flat byte-level form: literals become byte
 * sequences, character classes byte sets (ASCII) or rules of UTF-8 patterns, groups and
 * repetitions rules of their own ({@code x*} is {@code S ::= x S | ""}, {@code x{0,n}} a chain of
 * nested optionals). Then it checks that no rule is left-recursive.
 */
final class Lowering {
    private final Map<String, Expr> named;
    private final BiFunction<String, Integer, RuntimeException> undefined;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<List<int[]>> rules = new ArrayList<>(); // rule -> alternatives -> element codes
    private final Map<Expr, Integer> anonymous = new IdentityHashMap<>();
    private final Map<Expr, Integer> stars = new IdentityHashMap<>();
    private final Map<Expr, List<Integer>> optionalChains = new IdentityHashMap<>();
    private final Map<Expr.Chars, Integer> charRules = new HashMap<>();
    private final Map<BitsKey, Integer> terminals = new HashMap<>();
    private final List<long[]> terminalList = new ArrayList<>();
    private long size;

    private Lowering(Map<String, Expr> named, BiFunction<String, Integer, RuntimeException> undefined) {
        this.named = named;
        this.undefined = undefined;
    }

    static Grammar lower(Map<String, Expr> rules, String root, BiFunction<String, Integer, RuntimeException> undefined,
                         Map<String, Integer> offsets, String source) {
        Lowering l = new Lowering(rules, undefined);
        for (String name : rules.keySet()) l.declare(name);
        for (var e : rules.entrySet()) l.rules.set(l.ids.get(e.getKey()), l.alternatives(e.getValue(), e.getKey()));
        l.pruneUnfinishable(root);
        Grammar g = l.flatten(root, rules);
        LeftRecursion.check(g, offsets, source);
        return g;
    }

    private int declare(String name) {
        int id = names.size();
        ids.put(name, id);
        names.add(name);
        rules.add(null);
        return id;
    }

    private int newRule(String hint, List<int[]> alts) {
        int id = declare(hint + "-" + names.size());
        rules.set(id, alts);
        return id;
    }

    private List<int[]> alternatives(Expr e, String owner) {
        List<int[]> out = new ArrayList<>();
        if (e instanceof Expr.Alt a) {
            for (Expr o : a.options()) out.add(sequence(o, owner));
        } else {
            out.add(sequence(e, owner));
        }
        return out;
    }

    private int[] sequence(Expr e, String owner) {
        IntBuffer out = new IntBuffer();
        emit(e, owner, out);
        size += out.size + 1;
        if (size > Limits.MAX_ELEMENTS) throw new GrammarException("the grammar is too large (over " + Limits.MAX_ELEMENTS + " elements)");
        return out.toArray();
    }

    private void emit(Expr e, String owner, IntBuffer out) {
        switch (e) {
            case Expr.Literal l -> {
                for (byte b : l.text().getBytes(StandardCharsets.UTF_8)) out.add(terminal(b & 0xFF, b & 0xFF));
            }
            case Expr.Chars c -> emitChars(c, out);
            case Expr.Seq s -> {
                for (Expr item : s.items()) emit(item, owner, out);
            }
            case Expr.Alt a -> {
                Integer id = anonymous.get(a);
                if (id == null) {
                    id = declare(owner + "-" + names.size());
                    anonymous.put(a, id);
                    rules.set(id, alternatives(a, owner));
                }
                out.add(ruleCode(id));
            }
            case Expr.Ref r -> {
                Integer id = ids.get(r.name());
                if (id == null || !named.containsKey(r.name())) throw undefined.apply(r.name(), r.offset());
                out.add(ruleCode(id));
            }
            case Expr.Repeat r -> emitRepeat(r, owner, out);
        }
    }

    private void emitRepeat(Expr.Repeat r, String owner, IntBuffer out) {
        int[] once = sequence(r.body(), owner);
        size -= once.length + 1; // counted where it is used
        if (once.length != 1 && (r.min() > 1 || r.max() != r.min())) {
            // A longer body becomes one rule, so repetitions refer to it instead of copying it.
            Integer id = anonymous.get(r.body());
            if (id == null) {
                id = newRule(owner, List.of(once));
                anonymous.put(r.body(), id);
            }
            once = new int[] {ruleCode(id)};
        }
        for (int i = 0; i < r.min(); i++) out.addAll(once);
        if (r.max() < 0) {
            Integer star = stars.get(r.body());
            if (star == null) {
                star = declare(owner + "-" + names.size());
                stars.put(r.body(), star);
                int[] loop = Arrays.copyOf(once, once.length + 1);
                loop[once.length] = ruleCode(star);
                rules.set(star, List.of(loop, new int[0]));
            }
            out.add(ruleCode(star));
        } else if (r.max() > r.min()) {
            out.add(ruleCode(optionalChain(r.body(), once, r.max() - r.min(), owner)));
        }
    }

    /** The rule for "up to k more": O1 ::= x | "", Ok ::= x O(k-1) | "". Shared by every use of the body. */
    private int optionalChain(Expr body, int[] once, int k, String owner) {
        List<Integer> chain = optionalChains.computeIfAbsent(body, b -> new ArrayList<>());
        while (chain.size() < k) {
            int[] alt = once;
            if (!chain.isEmpty()) {
                alt = Arrays.copyOf(once, once.length + 1);
                alt[once.length] = ruleCode(chain.getLast());
            }
            size += alt.length + 2;
            if (size > Limits.MAX_ELEMENTS) throw new GrammarException("the grammar is too large (over " + Limits.MAX_ELEMENTS + " elements)");
            chain.add(newRule(owner, List.of(alt, new int[0])));
        }
        return chain.get(k - 1);
    }

    private void emitChars(Expr.Chars c, IntBuffer out) {
        int[] r = c.ranges();
        if (r.length == 0) throw new GrammarException("a character class matches no character");
        if (r[r.length - 1] < 0x80) {
            long[] bits = new long[4];
            for (int i = 0; i < r.length; i += 2) for (int b = r[i]; b <= r[i + 1]; b++) bits[b >>> 6] |= 1L << (b & 63);
            out.add(terminal(bits));
            return;
        }
        Integer id = charRules.get(c);
        if (id == null) {
            List<int[]> alts = new ArrayList<>();
            for (int[] pattern : Utf8Sequences.of(r)) {
                int[] seq = new int[pattern.length / 2];
                for (int k = 0; k < seq.length; k++) seq[k] = terminal(pattern[2 * k], pattern[2 * k + 1]);
                alts.add(seq);
            }
            id = newRule("char", alts);
            charRules.put(c, id);
        }
        out.add(ruleCode(id));
    }

    private int terminal(int lo, int hi) {
        long[] bits = new long[4];
        for (int b = lo; b <= hi; b++) bits[b >>> 6] |= 1L << (b & 63);
        return terminal(bits);
    }

    private int terminal(long[] bits) {
        return terminals.computeIfAbsent(new BitsKey(bits), k -> {
            terminalList.add(bits);
            return terminalList.size() - 1;
        }) << 2 | Grammar.BYTES;
    }

    private static int ruleCode(int id) {
        return id << 2 | Grammar.RULE;
    }

    /**
     * Drops alternatives that use a rule which can never finish (recursion without a base case).
     * Afterwards every stack the matcher builds can still be completed, so generation never
     * walks into a dead end.
     */
    private void pruneUnfinishable(String root) {
        int n = rules.size();
        boolean[] finishes = new boolean[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < n; r++) {
                if (finishes[r]) continue;
                for (int[] alt : rules.get(r)) {
                    if (allFinish(alt, finishes)) {
                        finishes[r] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        if (!finishes[ids.get(root)]) {
            throw new GrammarException("the grammar accepts no text: rule '" + root + "' can never finish (recursion without a base case?)");
        }
        for (int r = 0; r < n; r++) {
            List<int[]> kept = new ArrayList<>();
            for (int[] alt : rules.get(r)) if (allFinish(alt, finishes)) kept.add(alt);
            rules.set(r, kept);
        }
    }

    private static boolean allFinish(int[] alt, boolean[] finishes) {
        for (int code : alt) if ((code & 3) == Grammar.RULE && !finishes[code >>> 2]) return false;
        return true;
    }

    private Grammar flatten(String root, Map<String, Expr> source) {
        int total = 0;
        for (List<int[]> alts : rules) for (int[] a : alts) total += a.length + 1;
        byte[] kind = new byte[total];
        int[] arg = new int[total];
        int[][] starts = new int[rules.size()][];
        int p = 0;
        for (int r = 0; r < rules.size(); r++) {
            List<int[]> alts = rules.get(r);
            starts[r] = new int[alts.size()];
            for (int a = 0; a < alts.size(); a++) {
                starts[r][a] = p;
                for (int code : alts.get(a)) {
                    kind[p] = (byte) (code & 3);
                    arg[p++] = code >>> 2;
                }
                kind[p++] = Grammar.END;
            }
        }
        long[] bits = new long[terminalList.size() * 4];
        for (int t = 0; t < terminalList.size(); t++) System.arraycopy(terminalList.get(t), 0, bits, t * 4, 4);
        return new Grammar(kind, arg, bits, starts, names.toArray(String[]::new), ids.get(root), source, root);
    }

    private record BitsKey(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof BitsKey k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }

    /** A growable int array. */
    static final class IntBuffer {
        int[] a = new int[8];
        int size;

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            a[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) add(v);
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
