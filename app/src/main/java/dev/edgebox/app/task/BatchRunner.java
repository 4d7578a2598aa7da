package dev.edgebox.app.task;

import dev.edgebox.engine.EngineException;
import dev.edgebox.engine.grammar.StructuredOutput;
import dev.edgebox.server.scheduler.GenerationJob;
import dev.edgebox.server.tasks.TaskCall;
import dev.edgebox.server.tasks.TaskDefinition;
import dev.edgebox.server.tasks.TaskResult;
import dev.edgebox.server.tasks.TaskRunner;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Runs one task over many items through the scheduler: a fixed number of items in flight (every
 * slot busy, as many waiting), each answer handed to the sink as it finishes. {@link #stop()} (the
 * user pressed Ctrl-C) submits nothing more and cancels what is in flight; cancelled items never
 * reach the sink, so a resumed run does them again.
 */
final class BatchRunner {
    /** One input: its line in the input file (1-based), an optional id, and the text. */
    record Item(int line, String id, String text) {}

    /** Hears each finished item: its result, or the error that refused it (a too long input, say). */
    interface Sink {
        void finished(Item item, TaskResult result, EngineException error);
    }

    private final TaskRunner runner;
    private final TaskDefinition task;
    private final Map<String, Object> params;
    private final StructuredOutput formatOverride;
    private final int inFlight;
    private final Set<GenerationJob> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** @param formatOverride null: the task's own output format */
    BatchRunner(TaskRunner runner, TaskDefinition task, Map<String, Object> params, StructuredOutput formatOverride, int inFlight) {
        this.runner = runner;
        this.task = task;
        this.params = params;
        this.formatOverride = formatOverride;
        this.inFlight = inFlight;
    }

    /** Runs the items; returns when all are done or, after {@link #stop()}, when those in flight have ended. */
    void run(List<Item> items, Sink sink, Progress progress) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        for (Item item : items) {
            slots.acquire();
            if (stopped) {
                slots.release();
                break;
            }
            Thread.ofVirtual().name("edgebox-task-line-" + item.line()).start(() -> {
                try {
                    runOne(item, sink);
                    if (!stopped) progress.tick();
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquire(inFlight); // every item in flight has ended
        slots.release(inFlight);
    }

    private void runOne(Item item, Sink sink) {
        long start = System.nanoTime();
        TaskRunner.Prepared p;
        try {
            p = runner.prepare(task, new TaskCall(item.text(), params), null, formatOverride);
        } catch (EngineException e) {
            sink.finished(item, null, e); // the item itself is wrong: record it, do not try it again
            return;
        }
        GenerationJob job;
        try {
            job = runner.submit(p);
        } catch (RuntimeException e) {
            if (stopped) return;
            throw e;
        }
        running.add(job);
        try {
            TaskResult r = runner.finish(p, TaskRunner.await(job), start);
            if (!stopped) sink.finished(item, r, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (stopped) return; // cancelled on the way out: done again next time
            if (e instanceof EngineException x) sink.finished(item, null, x);
            else throw e;
        } finally {
            running.remove(job);
        }
    }

    /** Submits nothing more and cancels the items in flight. */
    void stop() {
        stopped = true;
        for (GenerationJob job : running) job.cancel();
    }

    boolean stopped() {
        return stopped;
    }
}
