package dev.edgebox.server.scheduler;

/**
 * How the scheduler shares the model.
 *
 * @param slots          sequences generated at once (each keeps its own KV cache, reused for the next
 *                       request with a common prompt prefix)
 * @param queueSize      requests that may wait for a slot; one more is refused
 * @param stepTokens     tokens per forward pass at most: every decoding slot's next token, then prompt
 *                       chunks of the slots still prefilling (at most the model's batch size)
 */
public record SchedulerConfig(int slots, int queueSize, int stepTokens) {
    public SchedulerConfig {
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        if (queueSize < 0) throw new IllegalArgumentException("queue size must be >= 0, got " + queueSize);
        if (stepTokens < slots) {
            throw new IllegalArgumentException("tokens per step (" + stepTokens + ") must be at least the number of slots (" + slots + ")");
        }
    }
}
