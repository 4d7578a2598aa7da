package dev.edgebox.engine.grammar;

import dev.edgebox.engine.EngineException;

/** A grammar, regular expression or schema that cannot be used for constrained decoding; the message says why. */
public class GrammarException extends EngineException {
    public GrammarException(String message) {
        super(message);
    }
}
