package dev.edgebox.server.scheduler;

import dev.edgebox.engine.generate.Completion;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.lora.AdapterStack;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One generation request as a state machine: QUEUED -> PREFILLING -> DECODING -> FINISHED (or
 * straight to FINISHED when cancelled or failed). The scheduler thread moves it and pushes
 * {@link Event}s; the HTTP thread reads them and may {@link #cancel()} at any time. The scheduler
 * never waits for a reader: events queue up until read. A job run with adapters holds their
 * {@link AdapterRegistry.Lease} from submission to its end, whatever the end is, so it finishes on
 * the adapter versions it started with.
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
    final AdapterStack adapters;
    private final AdapterRegistry.Lease lease;
    private final List<String> versions;
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

    /** @param lease the adapters to run with, closed when the job finishes; null for the base model */
    GenerationJob(int[] prompt, Completion completion, AdapterRegistry.Lease lease, long deadlineNanos) {
        this.prompt = prompt;
        this.completion = completion;
        this.submittedNanos = System.nanoTime();
        this.deadlineNanos = deadlineNanos;
        this.lease = lease;
        this.adapters = lease == null ? AdapterStack.NONE : lease.stack();
        this.versions = lease == null ? List.of() : lease.versions();
    }

    public State state() {
        return state;
    }

    void state(State s) {
        state = s;
        // Every way a job ends passes here: the adapter versions it held may leave memory now.
        if (s == State.FINISHED && lease != null) lease.close();
    }

    /** "name@version" of each adapter the job runs with, in stacking order (empty for the base model). */
    public List<String> adapterVersions() {
        return versions;
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
