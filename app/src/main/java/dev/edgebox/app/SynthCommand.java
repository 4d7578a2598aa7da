package dev.edgebox.app;

import dev.edgebox.engine.gguf.GgufFile;
import dev.edgebox.engine.model.QuantMix;
import dev.edgebox.engine.model.SyntheticModel;
import dev.edgebox.engine.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a random-weight GGUF in the shape of a real model, for benchmarks. */
@Command(name = "synth", description = "Write a random-weight GGUF model of a real model's shape (for benchmarks).")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--shape", required = true, paramLabel = "NAME",
            description = "qwen2.5-0.5b, qwen2.5-1.5b, qwen2.5-3b, qwen3-0.6b, qwen3-1.7b, llama-3.2-1b, llama-3.2-3b, smollm2-360m, tiny.")
    String shape;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m.")
    String type;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output GGUF file.")
    Path out;

    @Option(names = "--vocab", paramLabel = "GGUF", description = "Copy the tokenizer from this GGUF (default: a byte-level one).")
    Path vocab;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = {"-t", "--threads"}, description = "Threads for quantizing.")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        SyntheticModel.Shape s = SyntheticModel.preset(shape);
        QuantMix mix = QuantMix.parse(type);
        long start = System.nanoTime();
        int t = threads != null ? threads : ModelOptions.defaultThreads();
        SyntheticModel model;
        if (vocab != null) {
            try (GgufFile v = GgufFile.open(vocab)) {
                model = new SyntheticModel(s, mix, seed, v.metadata());
                model.write(out, t, p -> progress(p, start));
            }
        } else {
            model = new SyntheticModel(s, mix, seed, null);
            model.write(out, t, p -> progress(p, start));
        }
        System.err.printf("%nedgebox: wrote %s (%s, %s, %,d bytes) in %.1f s%n", out, s.name(), mix.name(), Files.size(out),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private long lastReport;

    /** One progress line, rewritten in place at most twice a second. */
    private void progress(int[] p, long start) {
        long now = System.nanoTime();
        if (p[0] < p[1] && now - lastReport < 500_000_000L) return;
        lastReport = now;
        System.err.printf("\redgebox: tensors %d/%d  %.0f s", p[0], p[1], (now - start) / 1e9);
    }
}
