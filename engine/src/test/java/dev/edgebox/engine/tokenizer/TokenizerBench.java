package dev.edgebox.engine.tokenizer;

import dev.edgebox.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rough load and encode timings for the big vocabularies (not a test: timing never decides one).
 * Run: java -cp engine/target/classes:engine/target/test-classes dev.edgebox.engine.tokenizer.TokenizerBench ../shared
 */
public final class TokenizerBench {
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        String english = prefix(shared.resolve("data/scifact/corpus.jsonl"), 1 << 20);
        String chinese = prefix(shared.resolve("data/cmrc2018/cmrc2018_trial.json"), 1 << 20);
        for (String vocab : new String[] {"qwen2", "llama-bpe", "llama-spm"}) {
            Path file = shared.resolve("reference/tokenizers/ggml-vocab-" + vocab + ".gguf");
            for (int round = 0; round < 3; round++) {
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                Tokenizer tokenizer;
                long t1;
                try (GgufFile gguf = GgufFile.open(file)) {
                    t1 = System.nanoTime();
                    tokenizer = Tokenizer.fromMetadata(gguf.metadata());
                }
                long t2 = System.nanoTime();
                long c2 = threads.getCurrentThreadCpuTime();
                int nEn = tokenizer.encode(english, false, false).length;
                long t3 = System.nanoTime();
                long c3 = threads.getCurrentThreadCpuTime();
                int nZh = tokenizer.encode(chinese, false, false).length;
                long t4 = System.nanoTime();
                tokenizer.encode(english, false, true);
                long t5 = System.nanoTime();
                System.out.printf("%-10s round %d: open %4d ms, build %4d ms (open+build cpu %4d ms) | 1 MiB English %4d ms (cpu %4d ms, %d tokens),"
                        + " 1 MiB Chinese JSON %4d ms (%d tokens), English parseSpecial %4d ms%n",
                        vocab, round, ms(t0, t1), ms(t1, t2), ms(c0, c2), ms(t2, t3), ms(c2, c3), nEn, ms(t3, t4), nZh, ms(t4, t5));
            }
        }
    }

    private static String prefix(Path p, int bytes) throws Exception {
        byte[] all = Files.readAllBytes(p);
        return new String(all, 0, Math.min(bytes, all.length), StandardCharsets.UTF_8);
    }

    private static long ms(long a, long b) {
        return (b - a) / 1_000_000;
    }
}
