package dev.edgebox.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread's mat-mul of a Qwen2.5-0.5B ffn_up-sized matrix (4864 x 896; K-quants, whose rows
 * must be a multiple of 256, use the transposed 896 x 4864 of ffn_down) with 1 token (decode,
 * matvec) or 64 tokens (prefill, matmul), per weight type. Besides the time per mat-mul, the
 * "bytes" counter gives the weight bytes streamed per second (GB/s = bytes / 1e9) and "macs" the
 * multiply-adds per second (GFLOP/s = 2 * macs / 1e9).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBench {

    @Param({"q8_0", "q4_0", "q5_0", "q4_k", "q6_k", "f16", "bf16", "f32"})
    public String type;

    @Param({"1", "64"})
    public int tokens;

    private KernelCpuTime.Fixture fixture;

    /** Weight bytes and multiply-adds done, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public long bytes;
        public long macs;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
            macs = 0;
        }
    }

    @Setup
    public void setup() {
        fixture = KernelCpuTime.fixture(type, tokens);
    }

    @Benchmark
    public float matmul(Work work) {
        fixture.matmul().run();
        work.bytes += fixture.bytes();
        work.macs += fixture.macs();
        return fixture.out()[0];
    }
}
