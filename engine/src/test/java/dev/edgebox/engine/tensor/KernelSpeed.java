package dev.edgebox.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A hand-run speed check, not a test: GB/s of weight bytes streamed by one thread's matmul over a
 * 4864 x 896 matrix (Qwen2.5-0.5B's ffn_up), for every registered type. Run from engine/ after
 * {@code mvn test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *      dev.edgebox.engine.tensor.KernelSpeed [types, e.g. q4_0,q4_k] [nTok]
 * </pre>
 */
public final class KernelSpeed {
    private KernelSpeed() {}

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rows0 = Integer.getInteger("rows", 4864), cols0 = 896;
        int nTok = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String only = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "";
        SplittableRandom rnd = new SplittableRandom(42);
        float[] w = new float[rows0 * cols0];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * 0.05);
        float[] in = new float[nTok * rows0];
        for (int i = 0; i < in.length; i++) in[i] = (float) rnd.nextGaussian();
        float[] out = new float[nTok * rows0];
        System.out.printf("Vector width %d bits, %d x %d, nTok %d, 1 thread%n", Simd.F.vectorBitSize(), rows0, cols0, nTok);
        for (GgmlType g : GgmlType.values()) {
            if (!TensorTypes.isSupported(g)) continue;
            if (!only.isEmpty() && !("," + only + ",").contains("," + g.displayName() + ",")) continue;
            TensorType type = TensorTypes.of(g);
            // K-quants need rows of a multiple of 256: use the transposed shape (ffn_down's), same bytes; -Dtranspose=true for all.
            boolean transpose = cols0 % g.blockSize != 0 || Boolean.getBoolean("transpose");
            int rows = transpose ? cols0 : rows0, cols = transpose ? rows0 : cols0;
            long bytes = type.rowBytes(cols) * rows;
            MemorySegment m = Arena.ofAuto().allocate(bytes, 64);
            type.quantize(w, 0, w.length, m, 0);
            Activations act = new Activations(type.activationFormat()).set(in, 0, nTok, cols);
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < deadline) type.matmul(m, cols, act, nTok, out, 0, rows, 0, rows);
            // The machine is shared: time is this thread's CPU time (time slices given to others do not
            // count), and the best of many short trials is kept (interference only slows a trial down).
            double best = Double.MAX_VALUE;
            for (int trial = 0; trial < 30; trial++) {
                int iters = 0;
                long t0 = CPU.getCurrentThreadCpuTime();
                do {
                    type.matmul(m, cols, act, nTok, out, 0, rows, 0, rows);
                    iters++;
                } while (CPU.getCurrentThreadCpuTime() - t0 < 50_000_000L);
                best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e9 / iters);
            }
            System.out.printf("%-5s %6.2f GB/s  %7.3f ms/matmul  %6.2f Gop/s%n", g.displayName(), bytes / best / 1e9,
                    best * 1e3, 2.0 * rows * cols * nTok / best / 1e9);
        }
    }
}
