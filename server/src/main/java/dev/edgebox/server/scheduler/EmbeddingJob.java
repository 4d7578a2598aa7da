package dev.edgebox.server.scheduler;

import dev.edgebox.engine.generate.MeanPooling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Texts to embed (already tokenized); the scheduler runs them between generation steps, one chunk at a time. */
public final class EmbeddingJob {
    final List<int[]> inputs;
    final long deadlineNanos;
    final long submittedNanos = System.nanoTime();
    final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
    final List<float[]> done = new ArrayList<>();
    volatile boolean cancelRequested;

    // Owned by the scheduler thread: the input being embedded and how far.
    MeanPooling pooling;
    int position;

    EmbeddingJob(List<int[]> inputs, long deadlineNanos) {
        this.inputs = inputs;
        this.deadlineNanos = deadlineNanos;
    }

    /** The embeddings, one per input in order, once all are done; fails as the scheduler says. */
    public CompletableFuture<List<float[]>> result() {
        return result;
    }

    public void cancel() {
        cancelRequested = true;
    }

    public int tokens() {
        return inputs.stream().mapToInt(a -> a.length).sum();
    }
}
