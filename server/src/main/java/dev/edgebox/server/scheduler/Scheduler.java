package dev.edgebox.server.scheduler;

import dev.edgebox.engine.generate.Completion;
import dev.edgebox.engine.generate.GenerationRequest;
import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.engine.generate.MeanPooling;
import dev.edgebox.engine.lora.AdapterRegistry;
import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.sampling.LogitProcessor;
import dev.edgebox.engine.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Continuous batching on one model, as vLLM does it: a fixed number of slots, each holding one
 * sequence; requests join and leave the running batch at token boundaries. Every step is one
 * forward pass holding the next token of every decoding slot plus, in what room is left, a chunk
 * of the prompts still being prefilled, so a long prompt never stops the streams already running.
 * Embedding requests run in their own passes between steps.
 *
 * <p>The scheduler owns the model (one thread calls it); requests come from any thread through
 * {@link #submit} and {@link #embed}, bounded by the waiting queue.
 */
public final class Scheduler implements AutoCloseable {
    private final Model model;
    private final Tokenizer tokenizer;
    private final SchedulerConfig config;
    private final SchedulerListener listener;
    private final Consumer<Throwable> errorLog;
    private final Slot[] slots;
    private final int vocab;
    private final Batch batch;
    private final KvCache embeddingScratch;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final Deque<GenerationJob> waiting = new ArrayDeque<>();
    private final Deque<EmbeddingJob> embeddings = new ArrayDeque<>();
    private int freeSlots;
    private boolean accepting = true;
    private boolean stopping;
    private Thread thread;

    // Scheduler thread only: running jobs in admission order.
    private final List<GenerationJob> running = new ArrayList<>();
    private volatile int busy;

    public Scheduler(Model model, Tokenizer tokenizer, SchedulerConfig config, SchedulerListener listener, Consumer<Throwable> errorLog) {
        if (config.stepTokens() > model.batchSize()) {
            throw new IllegalArgumentException("tokens per step (" + config.stepTokens() + ") exceed the model's batch size (" + model.batchSize() + ")");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.listener = listener;
        this.errorLog = errorLog;
        this.vocab = model.config().vocabSize();
        this.slots = new Slot[config.slots()];
        for (int i = 0; i < slots.length; i++) slots[i] = new Slot(i, model.newSequence());
        this.freeSlots = slots.length;
        this.batch = new Batch(model.batchSize());
        this.embeddingScratch = model.newSequence();
    }

    public Scheduler start() {
        thread = Thread.ofPlatform().name("edgebox-scheduler").daemon(true).start(this::loop);
        return this;
    }

    public int contextLength() {
        return model.contextLength();
    }

    public int slots() {
        return slots.length;
    }

    /** Slots generating now. */
    public int busySlots() {
        return busy;
    }

    /** Requests waiting for a slot (embeddings included). */
    public int queued() {
        lock.lock();
        try {
            return waiting.size() + embeddings.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a generation.
     *
     * @param deadlineNanos System.nanoTime() after which the request is cut short (Long.MAX_VALUE: never)
     * @throws dev.edgebox.engine.EngineException when the prompt is empty or does not fit the context
     * @throws QueueFullException when the waiting queue is full
     * @throws SchedulerClosedException when shutting down
     */
    public GenerationJob submit(int[] prompt, GenerationRequest request, long deadlineNanos) {
        return submit(prompt, request, List.of(), deadlineNanos);
    }

    /**
     * Queues a generation whose tokens pass through the request's own logit processors (a grammar
     * constraint, say), which the scheduler thread runs; they are not shared with other requests.
     */
    public GenerationJob submit(int[] prompt, GenerationRequest request, List<LogitProcessor> processors, long deadlineNanos) {
        return submit(prompt, request, processors, null, deadlineNanos);
    }

    /**
     * Queues a generation that runs with the adapters of a lease (null: the base model). The job
     * owns the lease from here on: it is closed when the job ends, however it ends, or at once when
     * the job is refused.
     */
    public GenerationJob submit(int[] prompt, GenerationRequest request, List<LogitProcessor> processors, AdapterRegistry.Lease adapters,
                                long deadlineNanos) {
        try {
            return queue(prompt, request, processors, adapters, deadlineNanos);
        } catch (RuntimeException e) {
            if (adapters != null) adapters.close();
            throw e;
        }
    }

    private GenerationJob queue(int[] prompt, GenerationRequest request, List<LogitProcessor> processors, AdapterRegistry.Lease adapters,
                                long deadlineNanos) {
        Completion completion = new Completion(tokenizer, request, prompt, model.contextLength(), vocab, processors);
        GenerationJob job = new GenerationJob(prompt, completion, adapters, deadlineNanos);
        if (completion.finished()) {
            // A grammar that allows only the empty text: the answer is complete before any token.
            job.state(GenerationJob.State.FINISHED);
            GenerationResult empty = completion.result(0, 0, 0);
            job.emit(new GenerationJob.Done(empty, false));
            listener.finished(empty, 0, false);
            return job;
        }
        lock.lock();
        try {
            admit(waiting.size() + embeddings.size());
            waiting.add(job);
            work.signal();
        } finally {
            lock.unlock();
        }
        return job;
    }

    /** Queues texts to embed; each must hold at most {@link #contextLength()} tokens. */
    public EmbeddingJob embed(List<int[]> inputs, long deadlineNanos) {
        for (int[] in : inputs) {
            if (in.length == 0) throw new IllegalArgumentException("cannot embed an empty input");
            if (in.length > model.contextLength()) throw new IllegalArgumentException("input of " + in.length + " tokens exceeds the context");
        }
        EmbeddingJob job = new EmbeddingJob(List.copyOf(inputs), deadlineNanos);
        lock.lock();
        try {
            admit(waiting.size() + embeddings.size());
            embeddings.add(job);
            work.signal();
        } finally {
            lock.unlock();
        }
        return job;
    }

    private void admit(int alreadyWaiting) {
        if (!accepting) throw new SchedulerClosedException();
        // Free slots take requests at once, so only what is beyond them waits.
        if (alreadyWaiting >= config.queueSize() + freeSlots) throw new QueueFullException(alreadyWaiting);
    }

    /**
     * Stops taking requests, lets those in flight finish for up to {@code grace}, cancels what is
     * left (its readers get their final event) and stops the scheduler thread.
     */
    public void shutdown(Duration grace) {
        long until = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            accepting = false;
            work.signal();
            while (busyOrWaiting()) {
                long left = until - System.nanoTime();
                if (left <= 0) break;
                idle.awaitNanos(left);
            }
            stopping = true;
            work.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        if (thread == null) {
            cancelEverything(); // never started: nobody else will tell the waiting requests
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private boolean busyOrWaiting() {
        return freeSlots < slots.length || !waiting.isEmpty() || !embeddings.isEmpty();
    }

    // ---- the scheduler thread ----

    private void loop() {
        try {
            while (true) {
                EmbeddingJob embedding;
                lock.lock();
                try {
                    while (!stopping && running.isEmpty() && waiting.isEmpty() && embeddings.isEmpty()) {
                        idle.signalAll();
                        work.await();
                    }
                    if (stopping) break;
                    dropAbandoned();
                    fillFreeSlots();
                    embedding = embeddings.peekFirst();
                } finally {
                    lock.unlock();
                }
                checkRunning();
                if (!running.isEmpty()) step();
                if (embedding != null) embedStep(embedding);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            errorLog.accept(t);
        } finally {
            cancelEverything();
        }
    }

    /** Queued requests whose reader left or whose deadline passed never get a slot. */
    private void dropAbandoned() {
        long now = System.nanoTime();
        for (Iterator<GenerationJob> it = waiting.iterator(); it.hasNext(); ) {
            GenerationJob job = it.next();
            if (job.cancelRequested()) {
                it.remove();
                job.completion.cancel();
                job.state(GenerationJob.State.FINISHED);
                GenerationResult nothing = job.completion.result(0, 0, 0);
                job.emit(new GenerationJob.Done(nothing, false));
                listener.finished(nothing, 0, false);
            } else if (now - job.deadlineNanos > 0) {
                it.remove();
                job.state(GenerationJob.State.FINISHED);
                job.emit(new GenerationJob.Failed(new DeadlineExceededException((now - job.submittedNanos) / 1_000_000)));
            }
        }
        for (Iterator<EmbeddingJob> it = embeddings.iterator(); it.hasNext(); ) {
            EmbeddingJob job = it.next();
            if (job.cancelRequested || now - job.deadlineNanos > 0) {
                it.remove();
                job.result.completeExceptionally(job.cancelRequested ? new CancellationException("cancelled")
                        : new DeadlineExceededException((now - job.submittedNanos) / 1_000_000));
            }
        }
    }

    /** Moves waiting requests into free slots, first come first served. */
    private void fillFreeSlots() {
        while (freeSlots > 0 && !waiting.isEmpty()) {
            GenerationJob job = waiting.pollFirst();
            Slot slot = bestSlot(job);
            slot.job = job;
            freeSlots--;
            job.slot = slot;
            // Keep the longest common prefix computed with the same adapters, but always recompute the last prompt token: its logits are needed.
            job.cached = Math.min(slot.reusablePrefix(job.prompt, job.adapters), job.prompt.length - 1);
            slot.cache.truncate(job.cached);
            slot.computedWith = CachedStack.of(job.adapters);
            job.prefilled = job.cached;
            job.startedNanos = System.nanoTime();
            job.state(GenerationJob.State.PREFILLING);
            running.add(job);
        }
        busy = slots.length - freeSlots;
    }

    /** The free slot whose cache shares the longest prefix with the prompt (same adapters); else the one unused longest. */
    private Slot bestSlot(GenerationJob job) {
        Slot best = null;
        int bestPrefix = -1;
        for (Slot s : slots) {
            if (!s.free()) continue;
            int p = s.reusablePrefix(job.prompt, job.adapters);
            if (p > bestPrefix || (p == bestPrefix && s.lastUsed < best.lastUsed)) {
                best = s;
                bestPrefix = p;
            }
        }
        return best;
    }

    /** Readers that left and passed deadlines end their requests at this step boundary. */
    private void checkRunning() {
        long now = System.nanoTime();
        for (GenerationJob job : List.copyOf(running)) {
            if (job.cancelRequested()) {
                job.completion.cancel();
                finish(job, false);
            } else if (now - job.deadlineNanos > 0) {
                job.completion.truncate();
                finish(job, true);
            }
        }
    }

    /** One forward pass: decoding slots first, then prompt chunks in admission order. */
    private void step() {
        long t0 = System.nanoTime();
        batch.clear();
        List<GenerationJob> rows = new ArrayList<>(); // jobs whose logits come back, in batch order
        for (GenerationJob job : running) {
            if (job.state() != GenerationJob.State.DECODING) continue;
            batch.add(job.completion.lastToken(), job.completion.lastPosition(), job.slot.cache, true, job.adapters);
            rows.add(job);
        }
        int decodeTokens = batch.size();
        int room = config.stepTokens() - decodeTokens;
        for (GenerationJob job : running) {
            if (room == 0) break;
            if (job.state() != GenerationJob.State.PREFILLING) continue;
            int end = Math.min(job.prompt.length, job.prefilled + room);
            for (int i = job.prefilled; i < end; i++) batch.add(job.prompt[i], i, job.slot.cache, i == job.prompt.length - 1, job.adapters);
            room -= end - job.prefilled;
            job.prefilled = end;
            if (end == job.prompt.length) rows.add(job);
        }
        float[] logits;
        try {
            logits = model.forward(batch);
        } catch (RuntimeException e) {
            failBatch(e);
            return;
        }
        long now = System.nanoTime();
        listener.step(batch.size(), decodeTokens, now - t0);
        for (int r = 0; r < rows.size(); r++) {
            GenerationJob job = rows.get(r);
            if (job.state() == GenerationJob.State.PREFILLING) {
                job.state(GenerationJob.State.DECODING);
                job.prefillNanos = now - job.startedNanos;
            }
            String text;
            try {
                text = job.completion.accept(logits, r * vocab);
            } catch (RuntimeException e) {
                // The request's own processors refused (a grammar this vocabulary cannot spell): it fails, the others go on.
                release(job);
                job.emit(new GenerationJob.Failed(e));
                continue;
            }
            if (job.completion.generated() == 1) {
                job.firstTokenNanos = now;
                listener.firstToken(now - job.submittedNanos);
            }
            if (!text.isEmpty()) job.emit(new GenerationJob.Text(text));
            if (job.completion.finished()) finish(job, false);
        }
    }

    private void finish(GenerationJob job, boolean timedOut) {
        String rest = job.completion.flush();
        if (!rest.isEmpty()) job.emit(new GenerationJob.Text(rest));
        long now = System.nanoTime();
        long decodeNanos = job.firstTokenNanos == 0 ? 0 : now - job.firstTokenNanos;
        GenerationResult result = job.completion.result(job.cached, job.prefillNanos, decodeNanos);
        release(job);
        job.emit(new GenerationJob.Done(result, timedOut));
        listener.finished(result, decodeNanos, timedOut);
    }

    private void release(GenerationJob job) {
        job.state(GenerationJob.State.FINISHED);
        running.remove(job);
        Slot slot = job.slot;
        slot.lastUsed = System.nanoTime();
        lock.lock();
        try {
            slot.job = null;
            freeSlots++;
            busy = slots.length - freeSlots;
            if (!busyOrWaiting()) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A failed pass leaves its sequences in an unknown state: fail their requests and forget their caches. */
    private void failBatch(RuntimeException e) {
        errorLog.accept(e);
        for (GenerationJob job : List.copyOf(running)) {
            if (job.state() == GenerationJob.State.QUEUED) continue;
            job.slot.cache.truncate(0);
            release(job);
            job.emit(new GenerationJob.Failed(e));
        }
    }

    /** One chunk of the oldest embedding request. */
    private void embedStep(EmbeddingJob job) {
        try {
            if (job.cancelRequested) throw new CancellationException("cancelled");
            int[] input = job.inputs.get(job.done.size());
            if (job.pooling == null) {
                job.pooling = new MeanPooling(model.config().dim());
                job.position = 0;
                embeddingScratch.truncate(0);
            }
            int end = Math.min(input.length, job.position + config.stepTokens());
            batch.clear();
            for (int i = job.position; i < end; i++) batch.add(input[i], i, embeddingScratch, false);
            job.pooling.add(model.hiddenStates(batch), end - job.position);
            job.position = end;
            if (end == input.length) {
                job.done.add(job.pooling.embedding());
                job.pooling = null;
                if (job.done.size() == job.inputs.size()) {
                    removeEmbedding(job);
                    listener.embedded(job.tokens());
                    job.result.complete(List.copyOf(job.done));
                }
            }
        } catch (RuntimeException e) {
            removeEmbedding(job);
            if (!(e instanceof CancellationException)) errorLog.accept(e);
            job.result.completeExceptionally(e);
        }
    }

    private void removeEmbedding(EmbeddingJob job) {
        lock.lock();
        try {
            embeddings.remove(job);
            if (!busyOrWaiting()) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** On the way out: every request still here hears that it ended. */
    private void cancelEverything() {
        for (GenerationJob job : List.copyOf(running)) {
            job.completion.cancel();
            finish(job, false);
        }
        lock.lock();
        try {
            stopping = true;
            accepting = false;
            for (GenerationJob job : waiting) {
                job.state(GenerationJob.State.FINISHED);
                job.emit(new GenerationJob.Failed(new SchedulerClosedException()));
            }
            waiting.clear();
            for (EmbeddingJob job : embeddings) job.result.completeExceptionally(new SchedulerClosedException());
            embeddings.clear();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
