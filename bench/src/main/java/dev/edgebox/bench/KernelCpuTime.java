package dev.edgebox.bench;

import dev.edgebox.engine.tensor.Activations;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.TensorType;
import dev.edgebox.engine.tensor.TensorTypes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The {@link KernelBench} mat-muls timed by the thread's CPU time instead of the wall clock, for a
 * machine shared with other work: a time slice lost to another process does not count, so runs
 * on a busy machine stay comparable (cache pollution by the neighbours still does). Prints, per type
 * and token count, the best and the median weight GB/s of several timed rounds.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.edgebox.bench.KernelCpuTime [types] [tokens] [rounds]</pre>
 * types comma separated (default q8_0,q4_0,q4_k,q6_k,q5_k,f16), tokens comma separated (default 1,64).
 */
public final class KernelCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        String types = args.length > 0 ? args[0] : "q8_0,q4_0,q4_k,q6_k,q5_k,f16";
        String tokenList = args.length > 1 ? args[1] : "1,64";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        for (String type : types.split(",")) {
            for (String t : tokenList.split(",")) run(type, Integer.parseInt(t), rounds);
        }
    }

    /** One mat-mul of the fixture matrix for a type and token count (writing into out), its weight bytes and multiply-adds. */
    public record Fixture(Runnable matmul, long bytes, long macs, float[] out) {}

    /**
     * The fixture of {@link KernelBench} and of these harnesses: a 4864 x 896 matrix (896 x 4864 for
     * 256-blocks) of random weights, and random inputs. {@link KernelAb} finds it by this name in each build.
     */
    public static Fixture fixture(String type, int tokens) {
        GgmlType g = null;
        for (GgmlType t : GgmlType.values()) if (t.displayName().equals(type.toLowerCase(Locale.ROOT))) g = t;
        if (g == null || !TensorTypes.isSupported(g)) throw new IllegalArgumentException("unsupported type " + type);
        TensorType kernels = TensorTypes.of(g);
        boolean transpose = 896 % g.blockSize != 0;
        int rows = transpose ? 896 : 4864, cols = transpose ? 4864 : 896;
        SplittableRandom rnd = new SplittableRandom(42);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * 0.05);
        long bytes = kernels.rowBytes(cols) * rows;
        MemorySegment weights = Arena.ofAuto().allocate(bytes, 64);
        kernels.quantize(w, 0, w.length, weights, 0);
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        Activations input = new Activations(kernels.activationFormat()).set(x, 0, tokens, cols);
        float[] out = new float[tokens * rows];
        return new Fixture(() -> kernels.matmul(weights, cols, input, tokens, out, 0, rows, 0, rows), bytes, (long) rows * cols * tokens, out);
    }

    private static void run(String type, int tokens, int rounds) {
        Fixture f = fixture(type, tokens);
        Runnable matmul = f.matmul();
        // Warm-up: two CPU seconds at least, and on while rounds keep getting faster: on a busy
        // machine the JIT's threads get little time, and the kernels run as slow tier-3 code for a while.
        long warm = THREADS.getCurrentThreadCpuTime();
        int reps = 0;
        while (THREADS.getCurrentThreadCpuTime() - warm < 2_000_000_000L) {
            matmul.run();
            reps++;
        }
        double last = 0;
        int perRound = Math.max(1, reps * 3 / 20);
        for (int round = 0; round < 40; round++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            int n = 0;
            while (THREADS.getCurrentThreadCpuTime() - t0 < 300_000_000L) {
                matmul.run();
                n++;
            }
            double rate = n / (double) (THREADS.getCurrentThreadCpuTime() - t0);
            perRound = Math.max(1, n);
            if (round >= 2 && rate < last * 1.05) break;
            last = Math.max(last, rate);
        }
        List<Double> gbs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) matmul.run();
            long ns = THREADS.getCurrentThreadCpuTime() - t0;
            gbs.add((double) f.bytes() * perRound / ns);
        }
        double[] s = gbs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double flopsPerByte = 2.0 * f.macs() / f.bytes();
        System.out.printf(Locale.ROOT, "%-5s tokens=%-3d GB/s best %6.2f median %6.2f  GFLOP/s best %6.1f  (%d rounds of %d)  out[0]=%s%n",
                type, tokens, s[s.length - 1], s[s.length / 2], s[s.length - 1] * flopsPerByte, rounds, perRound,
                Arrays.toString(new float[] {f.out()[0]}));
    }
}
