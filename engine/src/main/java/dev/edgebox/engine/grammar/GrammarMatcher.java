package dev.edgebox.engine.grammar;

import java.nio.charset.StandardCharsets;

/**
 * Matches text against a grammar incrementally, byte by byte (UTF-8), as it is generated. A step
 * that would break the grammar is refused and leaves the matcher where it was. Not thread-safe.
 */
public final class GrammarMatcher {
    private final Automaton automaton;
    private Automaton.State state;

    public GrammarMatcher(Grammar grammar) {
        this(new Automaton(grammar));
    }

    GrammarMatcher(Automaton automaton) {
        this.automaton = automaton;
        this.state = automaton.start();
    }

    /** Consumes the bytes if the grammar allows them; otherwise returns false and changes nothing. */
    public boolean advance(byte[] bytes) {
        Automaton.State next = automaton.step(state, bytes);
        if (next == automaton.dead) return false;
        state = next;
        return true;
    }

    public boolean advance(String text) {
        return advance(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the grammar allows these bytes next. */
    public boolean allows(byte[] bytes) {
        return automaton.step(state, bytes) != automaton.dead;
    }

    /** The text so far is a complete sentence of the grammar (it may still go on). */
    public boolean canEnd() {
        return state.accepting;
    }

    /** The text so far is complete and nothing may follow it. */
    public boolean isComplete() {
        return state.complete();
    }

    /** Back to the start of the grammar. */
    public void reset() {
        state = automaton.start();
    }

    Automaton automaton() {
        return automaton;
    }

    Automaton.State state() {
        return state;
    }

    void state(Automaton.State s) {
        state = s;
    }
}
