package dev.edgebox.engine.grammar;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.sampling.TokenConstraint;
import dev.edgebox.engine.sampling.TokenHistory;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps generated text inside a grammar: the logit processor that sets -infinity for every token
 * whose bytes would break it. End-of-generation tokens are allowed only where the grammar may end,
 * control tokens never. One per generation; not thread-safe.
 *
 * <p>Cost: {@link #allows} walks one token's bytes through cached automaton steps, so the
 * sampler's "is the drawn token fine?" check is nearly free. A full mask walks the tokenizer's
 * {@link TokenTrie} once and is remembered per automaton state, so a state seen again (inside a
 * long string, say) costs one lookup.
 */
public final class GrammarConstraint implements TokenConstraint {
    private static final int CACHED_MASKS = 32;

    private final Automaton automaton;
    private final TokenTrie trie;
    private Automaton.State state;
    private boolean ended; // an end-of-generation token was accepted
    private final Map<Automaton.State, long[]> masks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Automaton.State, long[]> e) {
            return size() > CACHED_MASKS;
        }
    };
    private long masksComputed;
    private long masksReused;

    public GrammarConstraint(Grammar grammar, Tokenizer tokenizer) {
        this(new Automaton(grammar), tokenizer);
    }

    GrammarConstraint(Automaton automaton, Tokenizer tokenizer) {
        this.automaton = automaton;
        this.trie = TokenTrie.of(tokenizer);
        this.state = automaton.start();
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        long[] mask = mask();
        int n = Math.min(logits.length, trie.vocabSize);
        for (int w = 0; w < mask.length; w++) {
            long bits = mask[w];
            if (bits == -1L) continue;
            int end = Math.min(n, (w + 1) << 6);
            for (int i = w << 6; i < end; i++) if ((bits >>> i & 1L) == 0) logits[i] = Float.NEGATIVE_INFINITY;
        }
        // Model vocabularies are often padded past the tokenizer's; those ids are never text.
        for (int i = n; i < logits.length; i++) logits[i] = Float.NEGATIVE_INFINITY;
    }

    /** The allowed tokens now, as bits over token ids. The array is shared: do not change it. */
    long[] mask() {
        if (ended || state.complete() && trie.endOfGeneration.length == 0) {
            throw new GrammarException("the grammar is complete: nothing may follow (stop generating when isComplete() is true)");
        }
        long[] mask = masks.get(state);
        if (mask != null) {
            masksReused++;
            return mask;
        }
        mask = new long[(trie.vocabSize + 63) >>> 6];
        trie.allowed(automaton, state, mask);
        if (state.accepting) for (int id : trie.endOfGeneration) mask[id >>> 6] |= 1L << id;
        if (isEmpty(mask)) {
            throw new GrammarException("no token of this vocabulary can continue the grammar here"
                    + " (the grammar needs bytes the vocabulary cannot produce)");
        }
        masksComputed++;
        masks.put(state, mask);
        return mask;
    }

    @Override
    public boolean allows(int token) {
        if (ended || token < 0 || token >= trie.vocabSize) return false;
        byte[] b = trie.bytes[token];
        if (b == null) return state.accepting && isEndOfGeneration(token);
        return automaton.step(state, b) != automaton.dead;
    }

    @Override
    public void accept(int token) {
        if (!allows(token)) {
            throw new EngineException("token " + token + " breaks the grammar; it should have been masked");
        }
        byte[] b = trie.bytes[token];
        if (b == null) ended = true;
        else state = automaton.step(state, b);
    }

    /** The output so far is a complete sentence of the grammar (end-of-generation is allowed now). */
    public boolean canEnd() {
        return ended || state.accepting;
    }

    @Override
    public boolean isComplete() {
        return ended || state.complete();
    }

    /** Full masks computed so far (trie walks), for statistics. */
    public long masksComputed() {
        return masksComputed;
    }

    /** Masks served from the per-state cache, for statistics. */
    public long masksReused() {
        return masksReused;
    }

    private boolean isEndOfGeneration(int token) {
        return Arrays.binarySearch(trie.endOfGeneration, token) >= 0;
    }

    private static boolean isEmpty(long[] mask) {
        for (long w : mask) if (w != 0) return false;
        return true;
    }
}
