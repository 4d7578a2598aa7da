package dev.edgebox.engine.grammar;

import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Every token's output bytes in one byte trie, built once per tokenizer and shared. A grammar mask
 * walks it with the automaton: a prefix shared by thousands of tokens is matched once, and a
 * refused byte skips its whole subtree.
 *
 * <p>The nodes are stored in depth-first order in flat arrays, so a walk is a loop over indexes:
 * node i has the byte {@code label[i]} at depth {@code depth[i]}, its subtree ends before
 * {@code skip[i]}, and the tokens whose bytes end there are {@code tokens[first[i] .. first[i+1])}.
 * Control tokens, tokens without bytes and end-of-generation tokens are not in the trie: a
 * grammar never allows them as text.
 */
final class TokenTrie {
    private static final Map<Tokenizer, TokenTrie> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    final int vocabSize;
    final byte[] label;
    final short[] depth;
    final int[] skip;
    final int[] first;
    final int[] tokens;
    final int maxDepth;
    /** Output bytes per token id; null for tokens outside the trie. */
    final byte[][] bytes;
    /** End-of-generation tokens, ascending. */
    final int[] endOfGeneration;
    /** Per node: the UTF-8 state (see {@link Utf8Text}) before the node's byte, i.e. after its parent's path. */
    final byte[] utf8Before;
    /**
     * Per node: if the node's byte and every byte below it continue plain UTF-8 text (see
     * {@link Utf8Text}), the height of that subtree in bytes; else 0. A state that surely accepts
     * any plain text that long accepts the whole subtree, which is then not walked.
     */
    final short[] textHeight;
    /**
     * Subtrees taller than this are walked rather than accepted whole: proving that a state takes
     * any text of length h builds the automaton states h bytes ahead, and in a string with
     * maxLength each of those is new. Most tokens are shorter anyway.
     */
    static final int SHORTCUT_HEIGHT = 16;

    /** The trie of a tokenizer, built on first use and kept as long as the tokenizer lives. */
    static TokenTrie of(Tokenizer tokenizer) {
        TokenTrie t = CACHE.get(tokenizer);
        if (t == null) {
            t = new TokenTrie(tokenizer);
            CACHE.put(tokenizer, t);
        }
        return t;
    }

    private TokenTrie(Tokenizer tok) {
        vocabSize = tok.vocabSize();
        endOfGeneration = tok.endOfGenerationIds();
        bytes = new byte[vocabSize][];
        int count = 0;
        Integer[] ids = new Integer[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            if (tok.isControl(id) || tok.isEndOfGeneration(id)) continue;
            byte[] b = tok.tokenBytes(id, false);
            if (b.length == 0) continue;
            bytes[id] = b;
            ids[count++] = id;
        }
        Arrays.sort(ids, 0, count, (a, b) -> Arrays.compareUnsigned(bytes[a], bytes[b]));
        tokens = new int[count];
        for (int i = 0; i < count; i++) tokens[i] = ids[i];

        long nodes = 0;
        byte[] prev = new byte[0];
        for (int id : tokens) {
            byte[] b = bytes[id];
            nodes += b.length - commonPrefix(prev, b);
            prev = b;
        }
        int n = Math.toIntExact(nodes);
        label = new byte[n];
        depth = new short[n];
        skip = new int[n];
        first = new int[n + 1];
        int[] path = new int[256];
        int[] endNode = new int[count];
        int pathLength = 0, next = 0, longest = 0;
        prev = new byte[0];
        for (int t = 0; t < count; t++) {
            byte[] b = bytes[tokens[t]];
            if (b.length > Short.MAX_VALUE) throw new IllegalStateException("token " + tokens[t] + " is too long");
            int common = commonPrefix(prev, b);
            while (pathLength > common) skip[path[--pathLength]] = next;
            for (int k = common; k < b.length; k++) {
                label[next] = b[k];
                depth[next] = (short) (k + 1);
                if (pathLength == path.length) path = Arrays.copyOf(path, path.length * 2);
                path[pathLength++] = next++;
            }
            endNode[t] = path[b.length - 1]; // sorted order never lets a token be a proper prefix of the one before
            longest = Math.max(longest, b.length);
            prev = b;
        }
        while (pathLength > 0) skip[path[--pathLength]] = next;
        // Depth-first node order is the tokens' sorted order, so tokens ending at node i are a run.
        for (int t = 0; t < count; t++) first[endNode[t] + 1]++;
        for (int i = 0; i < n; i++) first[i + 1] += first[i];
        maxDepth = longest;
        utf8Before = new byte[n];
        textHeight = new short[n];
        textHeights();
    }

    private void textHeights() {
        int n = label.length;
        int[] parentAt = new int[maxDepth + 1];
        int[] parent = new int[n];
        byte[] after = new byte[n];
        for (int i = 0; i < n; i++) {
            parentAt[depth[i]] = i;
            parent[i] = depth[i] == 1 ? -1 : parentAt[depth[i] - 1];
            int before = parent[i] < 0 ? Utf8Text.BOUNDARY : after[parent[i]];
            utf8Before[i] = (byte) before;
            after[i] = (byte) (before < 0 ? Utf8Text.INVALID : Utf8Text.next(before, label[i] & 0xFF));
        }
        // Children come after their parent in depth-first order, so a backward pass sees them first.
        boolean[] broken = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            if (after[i] < 0) broken[i] = true;
            int h = broken[i] ? 0 : textHeight[i] + 1; // textHeight[i] holds the tallest child so far
            textHeight[i] = (short) Math.min(h, Short.MAX_VALUE);
            int p = parent[i];
            if (p < 0) continue;
            if (broken[i]) broken[p] = true;
            else textHeight[p] = (short) Math.max(textHeight[p], textHeight[i]);
        }
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int m = Arrays.mismatch(a, b);
        return m < 0 ? a.length : m;
    }

    int nodeCount() {
        return label.length;
    }

    /**
     * Sets the bit of every trie token whose bytes the automaton accepts from state s. Each node's
     * state comes from its parent's by one cached step; a dead step skips the subtree.
     */
    void allowed(Automaton a, Automaton.State s, long[] mask) {
        Automaton.State[] at = new Automaton.State[maxDepth + 1];
        at[0] = s;
        Automaton.State dead = a.dead;
        int n = label.length;
        int i = 0;
        while (i < n) {
            int d = depth[i];
            Automaton.State parent = at[d - 1];
            int h = textHeight[i];
            if (h > 0 && h <= SHORTCUT_HEIGHT && h <= a.textRun(parent, utf8Before[i], SHORTCUT_HEIGHT)) {
                // Plain text all the way down, and the state takes any plain text that long: all allowed.
                for (int k = first[i], end = first[skip[i]]; k < end; k++) {
                    int id = tokens[k];
                    mask[id >>> 6] |= 1L << id;
                }
                i = skip[i];
                continue;
            }
            Automaton.State next = a.step(parent, label[i] & 0xFF);
            if (next == dead) {
                i = skip[i];
                continue;
            }
            at[d] = next;
            for (int k = first[i], end = first[i + 1]; k < end; k++) {
                int id = tokens[k];
                mask[id >>> 6] |= 1L << id;
            }
            i++;
        }
    }
}
