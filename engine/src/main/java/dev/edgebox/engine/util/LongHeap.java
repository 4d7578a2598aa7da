package dev.edgebox.engine.util;

import java.util.Arrays;

/**
 * A binary min-heap of longs, for values packed from a key and an id (the tokenizers' merge queues
 * by (rank, position), the sampler's top-k by (logit, token)). The static sift steps work on a
 * caller's array, for a heap of fixed size that must not allocate (the sampler, every token).
 */
public final class LongHeap {
    private long[] heap;
    private int size;

    public LongHeap(int capacity) {
        heap = new long[Math.max(8, capacity)];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void add(long value) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        siftUp(heap, size++, value);
    }

    public long poll() {
        long top = heap[0];
        long last = heap[--size];
        if (size > 0) siftDown(heap, size, last);
        return top;
    }

    /** Adds value to the min-heap heap[0 .. size), which becomes heap[0 .. size + 1). */
    public static void siftUp(long[] heap, int size, long value) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
    }

    /** Replaces the smallest entry of the min-heap heap[0 .. size) with value. */
    public static void siftDown(long[] heap, int size, long value) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1] < heap[child]) child++;
            if (value <= heap[child]) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }
}
