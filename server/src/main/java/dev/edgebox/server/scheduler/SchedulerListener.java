package dev.edgebox.server.scheduler;

import dev.edgebox.engine.generate.GenerationResult;

/** Hears what the scheduler does, for metrics. Called on the scheduler thread: keep it quick. */
public interface SchedulerListener {
    SchedulerListener NONE = new SchedulerListener() {};

    /** One forward pass: its tokens, how many were next tokens of decoding slots, and its duration. */
    default void step(int tokens, int decodeTokens, long nanos) {}

    /** A request's first generated token, {@code nanos} after it was submitted. */
    default void firstToken(long nanos) {}

    /** A request finished (any reason); decodeNanos runs from its first token to its last. */
    default void finished(GenerationResult result, long decodeNanos, boolean timedOut) {}

    /** An embedding request finished after {@code tokens} tokens. */
    default void embedded(int tokens) {}
}
