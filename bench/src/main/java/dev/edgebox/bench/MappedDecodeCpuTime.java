package dev.edgebox.bench;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.gguf.TensorInfo;
import dev.edgebox.engine.tensor.Activations;
import dev.edgebox.engine.tensor.GgmlType;
import dev.edgebox.engine.tensor.TensorType;
import dev.edgebox.engine.tensor.TensorTypes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Decode's mat-muls on a real (or synthetic) model file: per weight type, one token against every
 * matrix of that type, straight from the mapped file, on one thread, timed by thread CPU time. The
 * fixtures of {@link KernelBench} and {@link KernelCpuTime} (2.4 MB) stay in cache; a decode step
 * streams the whole model from memory, where how many reads a kernel keeps in flight matters as
 * much as its arithmetic (see docs/DESIGN-NOTES.md, "Decode reads two rows at once").
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.edgebox.bench.MappedDecodeCpuTime model.gguf [rounds]</pre>
 * Prints, per type, its matrices' megabytes and the best and median GB/s of the rounds.
 */
public final class MappedDecodeCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: MappedDecodeCpuTime model.gguf [rounds]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        try (GgufFile file = GgufFile.open(Path.of(args[0]))) {
            Map<GgmlType, List<TensorInfo>> byType = new TreeMap<>();
            for (TensorInfo t : file.tensorList()) {
                if (t.dims().length == 2 && TensorTypes.isSupported(t.type())) byType.computeIfAbsent(t.type(), k -> new ArrayList<>()).add(t);
            }
            for (var e : byType.entrySet()) run(e.getKey(), e.getValue(), rounds);
        }
    }

    private static void run(GgmlType type, List<TensorInfo> tensors, int rounds) {
        TensorType kernels = TensorTypes.of(type);
        int maxCols = 0, maxRows = 0;
        long bytes = 0;
        for (TensorInfo t : tensors) {
            maxCols = Math.max(maxCols, t.columns());
            maxRows = Math.max(maxRows, t.rows());
            bytes += t.byteSize();
        }
        SplittableRandom rnd = new SplittableRandom(42);
        float[] x = new float[maxCols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        // One converted input per width: the conversion is not what is timed.
        Map<Integer, Activations> inputs = new TreeMap<>();
        for (TensorInfo t : tensors) {
            inputs.computeIfAbsent(t.columns(), c -> new Activations(kernels.activationFormat()).set(x, 0, 1, c));
        }
        float[] out = new float[maxRows];
        Runnable pass = () -> {
            for (TensorInfo t : tensors) kernels.matmul(t.data(), t.columns(), inputs.get(t.columns()), 1, out, 0, t.rows(), 0, t.rows());
        };
        // Warm-up: the JIT compiles the kernels, the OS maps the pages in.
        long warm = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - warm < 3_000_000_000L) pass.run();
        double[] gbs = new double[rounds], wall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            pass.run();
            gbs[r] = (double) bytes / (THREADS.getCurrentThreadCpuTime() - t0);
            wall[r] = (double) bytes / (System.nanoTime() - w0);
        }
        Arrays.sort(gbs);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-6s %4d matrices %8.1f MB   GB/s best %6.2f median %6.2f  (wall: best %6.2f median %6.2f, %d rounds)%n",
                type.displayName(), tensors.size(), bytes / 1e6, gbs[rounds - 1], gbs[rounds / 2], wall[rounds - 1], wall[rounds / 2], rounds);
    }
}
