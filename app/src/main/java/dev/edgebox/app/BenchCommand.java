package dev.edgebox.app;

import dev.edgebox.engine.model.Batch;
import dev.edgebox.engine.model.KvCache;
import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.model.ModelOptions;
import dev.edgebox.engine.tensor.Profile;
import dev.edgebox.server.ops.ProcessStats;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prefill and decode speed, measured as llama-bench does: pp = one batch of P random tokens into an
 * empty cache; tg = N tokens decoded one at a time from an empty cache; a warm-up run first, then R
 * timed repetitions reported as mean and standard deviation.
 */
@Command(name = "bench", description = "Measure prefill and decode tokens per second.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model;

    @Option(names = {"-p", "--prompt"}, description = "Prompt tokens for the prefill test (default: ${DEFAULT-VALUE}; 0 skips it).")
    int promptTokens = 128;

    @Option(names = {"-n", "--gen"}, description = "Generated tokens for the decode test (default: ${DEFAULT-VALUE}; 0 skips it).")
    int genTokens = 64;

    @Option(names = {"-r", "--repetitions"}, description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions = 3;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--profile", description = "Time every step of the forward pass (mat-muls by tensor and type, attention, ...) and print where the time goes.")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        ModelOptions base = model.options();
        boolean batchGiven = model.batchSize != ModelOptions.DEFAULT_BATCH;
        int ctx = Math.max(promptTokens, genTokens) + 1;
        ModelOptions opts = base.withContextLength(base.contextLength() > 0 ? base.contextLength() : ctx)
                .withBatchSize(batchGiven ? base.batchSize() : Math.max(1, promptTokens));
        long loadStart = System.nanoTime();
        try (Model m = Model.open(model.requireModel(), opts)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            int vocab = m.config().vocabSize();
            SplittableRandom rnd = new SplittableRandom(42);
            int[] prompt = rnd.ints(promptTokens, 0, vocab).toArray();
            int[] gen = rnd.ints(genTokens, 0, vocab).toArray();
            double[] pp = new double[repetitions], tg = new double[repetitions];
            List<Profile.Entry> ppProfile = List.of(), tgProfile = List.of();
            for (int r = -1; r < repetitions; r++) { // r = -1 is the warm-up
                if (promptTokens > 0) {
                    Profile.enable(profile && r >= 0);
                    double s = prefill(m, prompt);
                    if (r >= 0) pp[r] = promptTokens / s;
                    ppProfile = collect(ppProfile);
                }
                if (genTokens > 0) {
                    Profile.enable(profile && r >= 0);
                    double s = decode(m, gen);
                    if (r >= 0) tg[r] = genTokens / s;
                    tgProfile = collect(tgProfile);
                }
                Profile.enable(false);
                if (!json) System.err.printf("\redgebox: run %d/%d", r + 1, repetitions);
            }
            if (profile) {
                printProfile("prefill pp" + promptTokens, ppProfile, repetitions);
                printProfile("decode tg" + genTokens, tgProfile, repetitions * (double) genTokens);
            }
            long modelBytes = Files.size(m.file().path());
            long rss = ProcessStats.peakResidentBytes();
            if (json) {
                System.out.println(String.format(Locale.ROOT,
                        "{\"model\":\"%s\",\"model_bytes\":%d,\"threads\":%d,\"n_prompt\":%d,\"n_gen\":%d,\"repetitions\":%d,"
                                + "\"prefill_tokens_per_s\":%.3f,\"prefill_tokens_per_s_sd\":%.3f,"
                                + "\"decode_tokens_per_s\":%.3f,\"decode_tokens_per_s_sd\":%.3f,"
                                + "\"peak_rss_bytes\":%d,\"load_seconds\":%.3f,\"kv_type\":\"%s\",\"vector_bits\":%d}",
                        jsonEscape(m.file().path().getFileName().toString()), modelBytes, opts.threads(), promptTokens, genTokens,
                        repetitions, mean(pp), sd(pp), mean(tg), sd(tg), rss, loadSeconds,
                        opts.kvType().name().toLowerCase(Locale.ROOT), dev.edgebox.engine.tensor.Simd.F.vectorBitSize()));
            } else {
                System.err.println();
                System.out.printf(Locale.ROOT, "model       %s (%,.1f MB, %s)%n", m.file().path().getFileName(), modelBytes / 1e6,
                        m.config().architecture().ggufName);
                System.out.printf(Locale.ROOT, "threads     %d   vector %d bits   kv %s%n", opts.threads(),
                        dev.edgebox.engine.tensor.Simd.F.vectorBitSize(), opts.kvType().name().toLowerCase(Locale.ROOT));
                if (promptTokens > 0) System.out.printf(Locale.ROOT, "pp%-8d  %8.2f +- %.2f tokens/s%n", promptTokens, mean(pp), sd(pp));
                if (genTokens > 0) System.out.printf(Locale.ROOT, "tg%-8d  %8.2f +- %.2f tokens/s%n", genTokens, mean(tg), sd(tg));
                System.out.printf(Locale.ROOT, "peak RSS    %,.1f MB   load %.2f s%n", rss / 1e6, loadSeconds);
            }
        }
        return 0;
    }

    /** Adds the timers of the run just finished to the totals so far, and clears them. */
    private static List<Profile.Entry> collect(List<Profile.Entry> sofar) {
        java.util.Map<String, Profile.Entry> sum = new java.util.LinkedHashMap<>();
        for (Profile.Entry e : sofar) sum.put(e.name(), e);
        for (Profile.Entry e : Profile.entries()) {
            sum.merge(e.name(), e, (a, b) -> new Profile.Entry(a.name(), a.nanos() + b.nanos(), a.bytes() + b.bytes(), a.calls() + b.calls()));
        }
        Profile.reset();
        List<Profile.Entry> list = new java.util.ArrayList<>(sum.values());
        list.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        return list;
    }

    /** One line per timer: time per unit (a prefill run, or a decoded token), share, and GB/s of weights for mat-muls. */
    private static void printProfile(String title, List<Profile.Entry> entries, double units) {
        if (entries.isEmpty()) return;
        long total = entries.stream().mapToLong(Profile.Entry::nanos).sum();
        System.err.printf(Locale.ROOT, "%n%s: %.2f ms per %s (timed steps)%n", title, total / units / 1e6,
                title.startsWith("decode") ? "token" : "run");
        for (Profile.Entry e : entries) {
            String rate = e.bytes() > 0 ? String.format(Locale.ROOT, "%7.2f GB/s", e.bytes() / (double) e.nanos()) : "";
            System.err.printf(Locale.ROOT, "  %-32s %9.3f ms %5.1f%% %s%n", e.name(), e.nanos() / units / 1e6, 100.0 * e.nanos() / total, rate);
        }
    }

    private static double prefill(Model m, int[] prompt) {
        KvCache seq = m.newSequence();
        Batch batch = new Batch(m.batchSize());
        long t0 = System.nanoTime();
        for (int start = 0; start < prompt.length; start += m.batchSize()) {
            batch.clear();
            int end = Math.min(prompt.length, start + m.batchSize());
            for (int i = start; i < end; i++) batch.add(prompt[i], i, seq, i == prompt.length - 1);
            m.forward(batch);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double decode(Model m, int[] tokens) {
        KvCache seq = m.newSequence();
        Batch batch = new Batch(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < tokens.length; i++) {
            m.forward(batch.clear().add(tokens[i], i, seq, true));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return x.length == 0 ? 0 : s / x.length;
    }

    private static double sd(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
