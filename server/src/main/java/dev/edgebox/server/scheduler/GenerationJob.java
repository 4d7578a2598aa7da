package dev.edgebox.server.scheduler;

import dev.edgebox.engine.generate.Completion;
import dev.edgebox.engine.generate.GenerationResult;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One generation request as a state machine: QUEUED -> PREFILLING -> DECODING -> FINISHED (or
 * straight to FINISHED when cancelled or failed). The scheduler thread moves it and pushes
 * {@link Event}s; the HTTP thread reads them and may {@link #cancel()} at any time. The scheduler
 * never waits for a reader: events queue up until read.
 */
public final class GenerationJob {
    public enum State { QUEUED, PREFILLING, DECODING, FINISHED }

    /** What the reader sees: text pieces, then exactly one of Done or Failed. */
    public sealed interface Event permits Text, Done, Failed {}

    public record Text(String text) implements Event {}

    /** @param timedOut the deadline cut generation short (the finish reason is then LENGTH) */
    public record Done(GenerationResult result, boolean timedOut) implements Event {}

    public record Failed(RuntimeException error) implements Event {}

    final int[] prompt;
    final Completion completion;
    final long submittedNanos;
    final long deadlineNanos;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile State state = State.QUEUED;
    private volatile boolean cancelRequested;

    // Owned by the scheduler thread.
    Slot slot;
    int prefilled;
    int cached;
    long startedNanos;
    long firstTokenNanos;
    long prefillNanos;

    GenerationJob(int[] prompt, Completion completion, long deadlineNanos) {
        this.prompt = prompt;
        this.completion = completion;
        this.submittedNanos = System.nanoTime();
        this.deadlineNanos = deadlineNanos;
    }

    public State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    public int promptTokens() {
        return prompt.length;
    }

    /** Asks the scheduler to stop this request; it frees the slot at the next step boundary. */
    public void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void emit(Event e) {
        events.add(e);
    }

    /** The next event, or null when none came within the timeout. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits for the end and returns it (Done or Failed); text events are skipped. */
    public Event await() throws InterruptedException {
        while (true) {
            Event e = events.take();
            if (!(e instanceof Text)) return e;
        }
    }
}
