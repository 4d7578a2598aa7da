package dev.edgebox.engine.generate;

/** Why generation ended, in the words the OpenAI API uses. */
public enum FinishReason {
    /** An end-of-generation token or a stop string. */
    STOP,
    /** The token limit or the end of the context. */
    LENGTH,
    /** The caller asked to stop (client went away, deadline). */
    CANCELLED;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
