package dev.edgebox.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A/B of two builds of the kernels in one JVM, for a machine shared with other work: each build's
 * classes load in a class loader of their own, and short timed rounds (thread CPU time) alternate
 * between them, so both see the same machine state; the ratio of each pair of rounds is what counts.
 * Prints per type and token count the median speed-up of B over A and the range of the middle rounds.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.edgebox.bench.KernelAb \
 *     A-classes-dir-or-jar B-classes-dir-or-jar [types] [tokens] [rounds]</pre>
 * Each side must hold the engine classes and this module's classes (e.g. two copies of benchmarks.jar).
 */
public final class KernelAb {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        String types = args.length > 2 ? args[2] : "q8_0,q4_0,q5_0,q4_k,q6_k,q5_k,f16";
        String tokenList = args.length > 3 ? args[3] : "1,64";
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 15;
        ClassLoader a = loader(args[0]), b = loader(args[1]);
        for (String type : types.split(",")) {
            for (String t : tokenList.split(",")) compare(a, b, type, Integer.parseInt(t), rounds);
        }
    }

    private static ClassLoader loader(String path) throws Exception {
        return new URLClassLoader(new URL[] {Path.of(path).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static Supplier<Long> matmul(ClassLoader loader, String type, int tokens, long[] bytes) throws Exception {
        Class<?> c = Class.forName("dev.edgebox.bench.KernelCpuTime", true, loader);
        Method fixture = c.getMethod("fixture", String.class, int.class);
        Object f = fixture.invoke(null, type, tokens);
        Runnable run = (Runnable) f.getClass().getMethod("matmul").invoke(f);
        bytes[0] = (long) f.getClass().getMethod("bytes").invoke(f);
        return () -> {
            long t0 = THREADS.getCurrentThreadCpuTime();
            run.run();
            return THREADS.getCurrentThreadCpuTime() - t0;
        };
    }

    private static void compare(ClassLoader la, ClassLoader lb, String type, int tokens, int rounds) throws Exception {
        long[] bytes = new long[1];
        Supplier<Long> a = matmul(la, type, tokens, bytes), b = matmul(lb, type, tokens, bytes);
        // Warm-up: two CPU seconds each at least, alternating, and on while both keep getting faster
        // (on a busy machine the JIT's threads get little time); then rounds of about 0.2 s each.
        long perCall = 0;
        int calls = 0;
        double lastA = Double.MAX_VALUE, lastB = Double.MAX_VALUE;
        long warm = THREADS.getCurrentThreadCpuTime();
        for (int round = 0; round < 100; round++) {
            long ta = 0, tb = 0;
            int n = 0;
            long t0 = THREADS.getCurrentThreadCpuTime();
            while (THREADS.getCurrentThreadCpuTime() - t0 < 500_000_000L) {
                ta += a.get();
                tb += b.get();
                n++;
            }
            perCall = ta + tb;
            calls = 2 * n;
            double perA = (double) ta / n, perB = (double) tb / n;
            boolean settled = perA > lastA * 0.95 && perB > lastB * 0.95;
            lastA = Math.min(lastA, perA);
            lastB = Math.min(lastB, perB);
            if (settled && THREADS.getCurrentThreadCpuTime() - warm > 4_000_000_000L) break;
        }
        int reps = (int) Math.max(1, 200_000_000L * calls / Math.max(1, perCall));
        double[] ratio = new double[rounds], ga = new double[rounds], gb = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long ta = 0, tb = 0;
            for (int i = 0; i < reps; i++) ta += a.get();
            for (int i = 0; i < reps; i++) tb += b.get();
            ratio[r] = (double) ta / tb;
            ga[r] = (double) bytes[0] * reps / ta;
            gb[r] = (double) bytes[0] * reps / tb;
        }
        Arrays.sort(ratio);
        Arrays.sort(ga);
        Arrays.sort(gb);
        int lo = rounds / 4, hi = rounds - 1 - rounds / 4;
        System.out.printf(Locale.ROOT, "%-5s tokens=%-3d A %6.2f GB/s  B %6.2f GB/s (best)   B/A median %5.2fx [%5.2f .. %5.2f]%n",
                type, tokens, ga[rounds - 1], gb[rounds - 1], ratio[rounds / 2], ratio[lo], ratio[hi]);
    }
}
