package dev.edgebox.engine.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent pool that splits index ranges across a fixed number of threads (the caller is one of
 * them). Made for the decode loop: no allocation and no thread creation per call. Each index is
 * handled by exactly one thread, so results never depend on the thread count. Not reentrant: a body
 * must not call back into the same pool.
 *
 * <p>Made for a small box that other programs share: a range is cut into many chunks that threads
 * take in turn, so a thread the OS preempts holds back at most a small chunk; and a thread that waits
 * (the caller for the last chunks, an idle worker for the next call) spins only briefly, then yields
 * its core, which the preempted thread may be waiting for. Spinning alone made decode about three
 * times slower while another process kept one of two cores busy.
 */
public final class Parallel implements AutoCloseable {

    /** Work on indexes [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** Work on indexes [start, end) by thread {@code worker} (0 = the caller), for per-thread scratch. */
    @FunctionalInterface
    public interface WorkerRangeBody {
        void run(int worker, int start, int end);
    }

    /** Chunks per thread in a range: small enough that a preempted thread delays little. */
    private static final int CHUNKS_PER_THREAD = 16;
    /** Busy-wait polls before yielding (tens of microseconds: the next call of a forward pass usually comes sooner). */
    private static final int SPINS = 1000;
    /** How long an idle worker yields before it parks (between tokens, between requests). */
    private static final long YIELD_NANOS = 1_000_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile WorkerRangeBody body;
    private volatile int end;
    private volatile int chunk;
    private volatile Throwable failure;
    private final boolean[] parked;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new boolean[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i;
            workers[i] = Thread.ofPlatform().daemon().name("edgebox-compute-" + (i + 1)).start(() -> workerLoop(id));
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in chunks of a whole multiple of {@code minChunk} indexes (but the last),
     * and waits for all of it.
     */
    public void forRange(int n, int minChunk, RangeBody rangeBody) {
        forRange(n, minChunk, (worker, s, e) -> rangeBody.run(s, e));
    }

    /** As {@link #forRange(int, int, RangeBody)}, telling the body which thread runs it. */
    public void forRange(int n, int minChunk, WorkerRangeBody rangeBody) {
        if (n <= 0) return;
        int grain = Math.max(1, minChunk);
        int c = grain * Math.ceilDiv(Math.ceilDiv(n, threads * CHUNKS_PER_THREAD), grain);
        if (threads == 1 || n <= c) {
            rangeBody.run(0, 0, n);
            return;
        }
        body = rangeBody;
        end = n;
        chunk = c;
        failure = null;
        nextIndex.set(0);
        pending.set(workers.length);
        generation++;
        for (int i = 0; i < workers.length; i++) {
            if (parked[i]) LockSupport.unpark(workers[i]);
        }
        work(0);
        for (int spins = 0; pending.get() != 0; spins++) {
            if (spins < SPINS) Thread.onSpinWait();
            else Thread.yield();
        }
        body = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            throw new RuntimeException(f);
        }
    }

    private void work(int worker) {
        WorkerRangeBody b = body;
        int n = end, c = chunk;
        try {
            for (int s = nextIndex.getAndAdd(c); s < n; s = nextIndex.getAndAdd(c)) b.run(worker, s, Math.min(n, s + c));
        } catch (Throwable t) {
            failure = t;
            nextIndex.set(n);
        }
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (true) {
            int spins = 0;
            long yieldingSince = 0;
            while (generation == seen && !closed) {
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else if (yieldingSince == 0 || System.nanoTime() - yieldingSince < YIELD_NANOS) {
                    if (yieldingSince == 0) yieldingSince = System.nanoTime();
                    Thread.yield();
                } else {
                    parked[id] = true;
                    if (generation == seen && !closed) LockSupport.parkNanos(this, 1_000_000);
                    parked[id] = false;
                }
            }
            if (closed) return;
            seen = generation;
            work(id + 1);
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
