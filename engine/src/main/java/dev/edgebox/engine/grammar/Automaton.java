package dev.edgebox.engine.grammar;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The matcher's machinery: a pushdown automaton over bytes whose states are sets of parse stacks,
 * built lazily and remembered, so that each (state, byte) step is computed once and then costs an
 * array load. Walking the token trie with it tests shared token prefixes once.
 *
 * <p>A stack is a chain of {@link Frame}s. A frame points at the next element to match in some
 * alternative; the frame below is where to continue once that alternative is done. Frames are
 * interned (same position and same frame below gives the same object), so stacks with a common
 * tail share it and whole stacks compare by identity. In a {@link State} every stack has a byte set
 * on top; a stack that has matched everything is "the empty stack" and makes the state accepting.
 * Not thread-safe: one per generation (or per matcher).
 */
final class Automaton {
    /** Start over with fresh tables past this many states, so a long generation cannot exhaust memory. */
    static final int MAX_STATES = 20_000; // about 25 MB of states and their step tables

    static final class Frame {
        final int pos;
        final Frame next;
        final int id;

        Frame(int pos, Frame next, int id) {
            this.pos = pos;
            this.next = next;
            this.id = id;
        }
    }

    static final class State {
        final Frame[] frames; // sorted by id; each has a byte set on top
        final boolean accepting;
        private State[] next;
        private int[] textRun;
        private State[] uniform;
        // Successors per group of bytes accepted by the same frames (bit i: frames[i]).
        private long[] groupSets;
        private State[] groupStates;
        private int groups;

        State(Frame[] frames, boolean accepting) {
            this.frames = frames;
            this.accepting = accepting;
        }

        boolean dead() {
            return frames.length == 0 && !accepting;
        }

        /** Accepting, and no byte may follow. */
        boolean complete() {
            return frames.length == 0 && accepting;
        }
    }

    final Grammar g;
    private final int maxStates;
    final State dead = new State(new Frame[0], false);
    private final State start;
    private Frame[] frameTable = new Frame[1024];
    private int frameCount;
    private int nextFrameId = 1;
    private Map<StateKey, State> states = new HashMap<>();
    // Scratch space for one step.
    private Frame[] work = new Frame[64];
    private Frame[] found = new Frame[64];
    private final LongSet expanded = new LongSet();

    Automaton(Grammar g) {
        this(g, MAX_STATES);
    }

    /** With a different memory bound (tests use a tiny one to exercise forgetting). */
    Automaton(Grammar g, int maxStates) {
        this.g = g;
        this.maxStates = maxStates;
        int n = 0;
        for (int alt : g.alternatives[g.root]) work = push(work, n++, g.kind[alt] == Grammar.END ? null : frame(alt, null));
        this.start = closure(n);
    }

    State start() {
        return start;
    }

    /** The state after one more byte (the dead state if the byte is not allowed). */
    State step(State s, int b) {
        State[] next = s.next;
        if (next == null) next = s.next = new State[256];
        State t = next[b];
        if (t == null) t = next[b] = successor(s, b);
        return t;
    }

    /**
     * Bytes that the same frames accept lead to the same state (inside a JSON string all plain
     * ASCII characters do), so each such group is expanded once, when one of its bytes is first asked for.
     */
    private State successor(State s, int b) {
        Frame[] frames = s.frames;
        if (frames.length > 64) return advance(s, b);
        long set = 0;
        for (int i = 0; i < frames.length; i++) if (g.terminalAccepts(g.arg[frames[i].pos], b)) set |= 1L << i;
        if (set == 0) return dead;
        for (int k = 0; k < s.groups; k++) if (s.groupSets[k] == set) return s.groupStates[k];
        State t = advance(frames, set);
        if (s.groupSets == null) {
            s.groupSets = new long[4];
            s.groupStates = new State[4];
        } else if (s.groups == s.groupSets.length) {
            s.groupSets = Arrays.copyOf(s.groupSets, s.groups * 2);
            s.groupStates = Arrays.copyOf(s.groupStates, s.groups * 2);
        }
        s.groupSets[s.groups] = set;
        s.groupStates[s.groups++] = t;
        return t;
    }

    /**
     * How many more bytes of plain text ({@link Utf8Text}), starting in UTF-8 state u, the state
     * surely accepts: breadth-first over (state, UTF-8 state) pairs, every byte class allowed next
     * must take the state to one and the same live state; the depth of the first pair where that
     * fails is the answer. Inside a JSON string without a length limit nothing fails (the states
     * loop), with maxLength the answer is what is left. At most cap; remembered per state.
     */
    int textRun(State s, int u, int cap) {
        int[] runs = s.textRun; // a local: forget() may clear the field while we search
        if (runs == null) {
            runs = s.textRun = new int[Utf8Text.STATES];
            Arrays.fill(runs, -1);
        }
        int known = runs[u];
        if (known >= 0) return Math.min(known, cap);
        int run = cap;
        java.util.ArrayDeque<State> states = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<int[]> at = new java.util.ArrayDeque<>(); // {utf8 state, depth}
        java.util.IdentityHashMap<State, Integer> seen = new java.util.IdentityHashMap<>();
        states.add(s);
        at.add(new int[] {u, 0});
        seen.put(s, 1 << u);
        search:
        while (!states.isEmpty()) {
            State x = states.poll();
            int[] here = at.poll();
            if (here[1] >= cap) continue;
            for (int c : Utf8Text.CLASSES_FROM[here[0]]) {
                State t = uniformStep(x, c);
                if (t == null) {
                    run = here[1];
                    break search;
                }
                int v = Utf8Text.CLASS_TARGET[here[0]][c];
                int mask = seen.getOrDefault(t, 0);
                if ((mask & 1 << v) != 0) continue;
                seen.put(t, mask | 1 << v);
                states.add(t);
                at.add(new int[] {v, here[1] + 1});
            }
        }
        runs[u] = run;
        return run;
    }

    /** The one live state that every byte of the class leads to, or null. */
    private State uniformStep(State s, int byteClass) {
        State[] known = s.uniform; // a local: forget() may clear the field while we step
        if (known == null) known = s.uniform = new State[Utf8Text.CLASS_COUNT];
        State t = known[byteClass];
        if (t == null) {
            int[] ranges = Utf8Text.CLASS_RANGES[byteClass];
            t = step(s, ranges[0]);
            for (int r = 0; r < ranges.length && t != dead; r += 2) {
                for (int b = ranges[r]; b <= ranges[r + 1]; b++) {
                    if (step(s, b) != t) {
                        t = dead;
                        break;
                    }
                }
            }
            known[byteClass] = t;
        }
        return t == dead ? null : t;
    }

    /** The state after some bytes, or the dead state. */
    State step(State s, byte[] bytes) {
        for (int i = 0; i < bytes.length && s != dead; i++) s = step(s, bytes[i] & 0xFF);
        return s;
    }

    /** The frames in the set (bit i: frames[i]) step past their byte sets; the rest is closure. */
    private State advance(Frame[] frames, long set) {
        int n = 0;
        for (long bits = set; bits != 0; bits &= bits - 1) {
            Frame f = frames[Long.numberOfTrailingZeros(bits)];
            int p = f.pos;
            work = push(work, n++, g.kind[p + 1] == Grammar.END ? f.next : frame(p + 1, f.next));
        }
        return closure(n);
    }

    private State advance(State s, int b) {
        int n = 0;
        for (Frame f : s.frames) {
            int p = f.pos;
            if (!g.terminalAccepts(g.arg[p], b)) continue;
            work = push(work, n++, g.kind[p + 1] == Grammar.END ? f.next : frame(p + 1, f.next));
        }
        return n == 0 ? dead : closure(n);
    }

    /** Expands the stacks in work[0..n) until each has a byte set on top; returns their interned set. */
    private State closure(int n) {
        expanded.clear();
        int count = 0;
        boolean accepting = false;
        while (n > 0) {
            Frame f = work[--n];
            if (f == null) {
                accepting = true;
                continue;
            }
            int p = f.pos;
            if (g.kind[p] == Grammar.BYTES) {
                found = push(found, count++, f);
                continue;
            }
            int rule = g.arg[p];
            Frame cont = g.kind[p + 1] == Grammar.END ? f.next : frame(p + 1, f.next);
            // The same rule with the same continuation expands to the same stacks: once is enough.
            // This also ends tail cycles such as s ::= x? s.
            if (!expanded.add((long) rule << 32 | (cont == null ? 0 : cont.id))) continue;
            for (int alt : g.alternatives[rule]) {
                work = push(work, n++, g.kind[alt] == Grammar.END ? cont : frame(alt, cont));
            }
        }
        Frame[] frames = Arrays.copyOf(found, count);
        Arrays.sort(frames, (a, c) -> Integer.compare(a.id, c.id));
        int unique = 0;
        for (int i = 0; i < frames.length; i++) if (unique == 0 || frames[unique - 1] != frames[i]) frames[unique++] = frames[i];
        if (unique != frames.length) frames = Arrays.copyOf(frames, unique);
        if (frames.length == 0 && !accepting) return dead;
        return intern(frames, accepting);
    }

    private State intern(Frame[] frames, boolean accepting) {
        int[] ids = new int[frames.length + 1];
        for (int i = 0; i < frames.length; i++) ids[i] = frames[i].id;
        ids[frames.length] = accepting ? 1 : 0;
        StateKey key = new StateKey(ids);
        State s = states.get(key);
        if (s == null) {
            if (states.size() >= maxStates) forget();
            s = new State(frames, accepting);
            states.put(key, s);
        }
        return s;
    }

    /**
     * Drops the interning tables and every state's caches, so that the states explored so far can
     * be collected. States still held (the current one) stay valid, since they keep their frames;
     * their steps are simply computed again.
     */
    private void forget() {
        for (State s : states.values()) {
            s.next = null;
            s.groupSets = null;
            s.groupStates = null;
            s.groups = 0;
            s.uniform = null;
            s.textRun = null;
        }
        states = new HashMap<>();
        frameTable = new Frame[1024];
        frameCount = 0;
    }

    private Frame frame(int pos, Frame next) {
        int nextId = next == null ? 0 : next.id;
        int mask = frameTable.length - 1;
        int i = mix(pos, nextId) & mask;
        for (Frame f; (f = frameTable[i]) != null; i = (i + 1) & mask) {
            if (f.pos == pos && f.next == next) return f;
        }
        Frame f = new Frame(pos, next, nextFrameId++);
        frameTable[i] = f;
        if (++frameCount * 2 > frameTable.length) growFrames();
        return f;
    }

    private void growFrames() {
        Frame[] old = frameTable;
        frameTable = new Frame[old.length * 2];
        int mask = frameTable.length - 1;
        for (Frame f : old) {
            if (f == null) continue;
            int i = mix(f.pos, f.next == null ? 0 : f.next.id) & mask;
            while (frameTable[i] != null) i = (i + 1) & mask;
            frameTable[i] = f;
        }
    }

    private static int mix(int a, int b) {
        int h = a * 0x9E3779B1 + b * 0x85EBCA77;
        return h ^ (h >>> 15);
    }

    private static Frame[] push(Frame[] a, int at, Frame f) {
        if (at == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[at] = f;
        return a;
    }

    private record StateKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    /** A set of longs with open addressing, cleared in O(size) between steps. */
    static final class LongSet {
        private long[] keys = new long[64];
        private boolean[] used = new boolean[64];
        private int[] filled = new int[64];
        private int size;

        boolean add(long k) {
            int mask = keys.length - 1;
            int i = (int) (k ^ (k >>> 29) ^ (k >>> 47)) * 0x9E3779B1 >>> 7 & mask;
            while (used[i]) {
                if (keys[i] == k) return false;
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = k;
            if (size == filled.length) filled = Arrays.copyOf(filled, size * 2);
            filled[size++] = i;
            if (size * 2 > keys.length) grow();
            return true;
        }

        void clear() {
            for (int k = 0; k < size; k++) used[filled[k]] = false;
            size = 0;
        }

        private void grow() {
            long[] oldKeys = new long[size];
            for (int k = 0; k < size; k++) oldKeys[k] = keys[filled[k]];
            clear();
            keys = new long[keys.length * 2];
            used = new boolean[keys.length];
            for (long k : oldKeys) add(k);
        }
    }
}
