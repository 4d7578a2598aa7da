package dev.edgebox.engine;

/**
 * A problem the user can fix: a bad model file, an unsupported architecture, a prompt that does not
 * fit. The message is one line that names what was wrong and what was expected; front ends print it
 * as is and show the stack trace only when asked to.
 */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
