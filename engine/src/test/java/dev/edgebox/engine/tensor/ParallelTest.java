package dev.edgebox.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceInChunksOfTheGrain() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            try (Parallel pool = new Parallel(threads)) {
                for (int n : new int[] {1, 7, 64, 1000, 4865}) {
                    for (int grain : new int[] {1, 2, 6, 53}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        pool.forRange(n, grain, (worker, start, end) -> {
                            assertTrue(worker >= 0 && worker < threads, "worker id " + worker);
                            // Every chunk starts on the grain, and only the last may be shorter than a multiple of it.
                            assertEquals(0, start % grain, "chunk start " + start + " for grain " + grain);
                            assertTrue(end == n || (end - start) % grain == 0, "chunk [" + start + ", " + end + ") for grain " + grain);
                            for (int i = start; i < end; i++) hits.incrementAndGet(i);
                        });
                        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n + ", " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void manyCallsInARowAndAFailureReachTheCaller() {
        try (Parallel pool = new Parallel(2)) {
            long[] sums = new long[1];
            for (int call = 0; call < 2000; call++) {
                java.util.concurrent.atomic.AtomicLong sum = new java.util.concurrent.atomic.AtomicLong();
                pool.forRange(100, 1, (start, end) -> {
                    for (int i = start; i < end; i++) sum.addAndGet(i);
                });
                sums[0] += sum.get();
            }
            assertEquals(2000L * 4950, sums[0]);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forRange(1000, 1, (start, end) -> {
                if (start <= 500 && 500 < end) throw new IllegalStateException("chunk with 500");
            }));
            assertEquals("chunk with 500", e.getMessage());
            // The pool keeps working after a failed call.
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.forRange(10, 1, (start, end) -> {
                for (int i = start; i < end; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void matrixChunksAreWholeFoursSoPrefillTilesTakeFourRows() {
        for (long rowBytes : new long[] {1, 616, 618, 1000, 4000, 40_000, 1 << 20}) {
            int c = Matrix.minChunk(rowBytes);
            assertEquals(0, c % 4, "min chunk " + c + " for rows of " + rowBytes + " bytes");
            assertTrue(c >= 4 && c * rowBytes >= Math.min(32768, 4 * rowBytes), "min chunk " + c + " for rows of " + rowBytes + " bytes");
        }
    }
}
