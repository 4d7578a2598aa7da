package dev.edgebox.knowledge;

/**
 * A problem the user can fix: an unreadable file, an unknown knowledge base, a bad option. The message
 * is one line naming what was wrong and what was expected; front ends print it as is.
 */
public class KnowledgeException extends RuntimeException {
    public KnowledgeException(String message) {
        super(message);
    }

    public KnowledgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
