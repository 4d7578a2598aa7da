package dev.edgebox.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgebox.engine.EngineException;
import dev.edgebox.server.EdgeServer;
import dev.edgebox.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Concurrency benchmark of {@code edgebox serve}: for each number of concurrent streams, that many
 * clients each send streaming completions one after another; reports aggregate generated tokens
 * per second, per-stream decode speed and time to first token (p50, p99). Starts a server in this
 * process on a free loopback port, or measures one already running (--url). With --adapters, the
 * in-process server serves random LoRA adapters and each stream runs on one of them.
 */
@Command(name = "bench-serve", sortOptions = false,
        description = "Measure the server under concurrent streams: aggregate tokens/s and time to first token.")
final class BenchServeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model to serve in this process.")
    Path model;

    @Option(names = "--url", paramLabel = "URL", description = "Measure this running server instead (e.g. http://127.0.0.1:8080).")
    String url;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads of the in-process server (default: cores, up to 8).")
    Integer threads;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "Context per slot of the in-process server (default: 1024).")
    int ctx = 1024;

    @Option(names = "--streams", paramLabel = "N,N,...", split = ",", description = "Concurrent streams to measure (default: 1,4,8).")
    List<Integer> streams = List.of(1, 4, 8);

    @Option(names = {"-r", "--requests"}, paramLabel = "N", description = "Requests per stream at each level (default: ${DEFAULT-VALUE}).")
    int requests = 2;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", description = "Tokens generated per request (default: ${DEFAULT-VALUE}).")
    int maxTokens = 64;

    @Option(names = "--prompt-words", paramLabel = "N", description = "Words in each prompt (default: ${DEFAULT-VALUE}).")
    int promptWords = 8;

    @Option(names = "--adapters", paramLabel = "N",
            description = "Serve N random LoRA adapters (all seven projections) and let stream i use adapter i mod N (default: 0, the base model).")
    int adapters;

    @Option(names = "--adapter-rank", paramLabel = "R", description = "Rank of the --adapters (default: ${DEFAULT-VALUE}).")
    int adapterRank = 16;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    /** The model ids streams use in turn (empty: the base model). */
    private List<String> adapterIds = List.of();

    /** @param firstTokenNanos when the first text arrived, 0 if none did */
    record Sample(long startNanos, long firstTokenNanos, long endNanos, int tokens) {}

    /**
     * @param cpuSeconds CPU time this process spent on the level (server and clients), or -1 when the
     *                   server runs elsewhere; tokens per CPU second do not depend on what else the
     *                   machine is running, wall-clock rates do
     */
    record Level(int streams, int requests, long tokens, double seconds, double tokensPerSecond, double perStreamDecode,
                 double ttftP50Ms, double ttftP99Ms, double cpuSeconds) {
        double tokensPerCpuSecond() {
            return cpuSeconds > 0 ? tokens / cpuSeconds : -1;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (url == null)) throw new EngineException("pass either -m FILE.gguf (serve it here) or --url of a running server");
        if (streams.isEmpty() || streams.stream().anyMatch(s -> s < 1)) throw new EngineException("--streams must list positive numbers");
        if (adapters < 0 || adapterRank < 1) throw new EngineException("--adapters must be >= 0 and --adapter-rank >= 1");
        if (adapters > 0 && model == null) throw new EngineException("--adapters needs -m: the adapters are made for the model served here");
        EdgeServer server = null;
        String base = url;
        Path adapterDir = adapters > 0 ? Files.createTempDirectory("edgebox-bench-adapters") : null;
        if (model != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", model.toString());
            s.put("port", 0);
            s.put("parallel", streams.stream().mapToInt(Integer::intValue).max().orElse(1));
            s.put("ctx", ctx);
            s.put("max-tokens", maxTokens);
            s.put("access-log", "off");
            if (threads != null) s.put("threads", threads);
            if (adapterDir != null) s.putAll(randomAdapters(adapterDir));
            server = EdgeServer.start(ConfigLoader.from(s), new PrintStream(OutputStream.nullOutputStream()));
            base = server.url();
            String served = server.model().name();
            if (adapters > 0) adapterIds = IntStream.range(0, adapters).mapToObj(i -> served + ":bench-" + i).toList();
        }
        try {
            // One short round at every level first: the JIT compiles the kernels each level uses (a
            // batch of n rows, a prefill of n prompts) before the timed rounds, so they measure the
            // steady state of a long-running server rather than compilation (up to ~2 s a step).
            System.err.println("edgebox: warming up");
            for (int n : streams) run(base, n, 1, Math.min(16, maxTokens));
            List<Level> levels = new ArrayList<>();
            for (int n : streams) {
                System.err.printf("edgebox: %d concurrent stream%s x %d requests x %d tokens%n", n, n == 1 ? "" : "s", requests, maxTokens);
                long cpu0 = processCpuNanos();
                List<Sample> samples = run(base, n, requests, maxTokens);
                double cpu = server == null || cpu0 < 0 ? -1 : (processCpuNanos() - cpu0) / 1e9;
                levels.add(summarize(n, samples, cpu));
            }
            print(levels);
        } finally {
            if (server != null) server.close();
            if (adapterDir != null) deleteTree(adapterDir);
        }
        return 0;
    }

    /** Writes the random adapters and returns the settings that serve them (by path; no adapter store). */
    private Map<String, Object> randomAdapters(Path dir) throws IOException {
        System.err.printf("edgebox: writing %d random rank-%d adapters (q, k, v, o, gate, up, down)%n", adapters, adapterRank);
        var config = BenchAdapters.config(model);
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < adapters; i++) specs.add("bench-" + i + "=" + BenchAdapters.write(dir.resolve("bench-" + i), config, adapterRank, 100 + i));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("adapter-dir", "off");
        s.put("lora", specs);
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private List<Sample> run(String base, int clients, int perClient, int tokens) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Sample>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    List<Sample> out = new ArrayList<>();
                    String modelId = adapterIds.isEmpty() ? null : adapterIds.get(client % adapterIds.size());
                    for (int r = 0; r < perClient; r++) out.add(stream(base, modelId, prompt(client, r), tokens, client * 1000L + r));
                    return out;
                }));
            }
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> f : futures) all.addAll(f.get());
            return all;
        }
    }

    /** Distinct prompts, so no request rides on another's cached prefix. */
    private String prompt(int client, int request) {
        StringBuilder b = new StringBuilder("Story " + client + "." + request + ":");
        String[] words = {"the", "little", "robot", "walked", "through", "a", "quiet", "town", "and", "found", "an", "old", "map"};
        for (int i = 0; i < promptWords; i++) b.append(' ').append(words[(i * 7 + client * 3 + request) % words.length]);
        return b.toString();
    }

    /**
     * One streaming request. Sampled with a seed rather than greedy: a model with random weights
     * (synth) tends to repeat one token under greedy decoding, and if that token is a lone UTF-8
     * byte no text shows until the end, which would hide the time to first token.
     */
    private Sample stream(String base, String modelId, String prompt, int tokens, long seed) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (modelId != null) body.put("model", modelId);
        body.put("prompt", prompt);
        body.put("max_tokens", tokens);
        body.put("seed", seed);
        body.put("ignore_eos", true);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new EngineException("the server answered " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long first = 0;
        int generated = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.has("error")) throw new EngineException("the server failed a request: " + event.path("error").path("message").asText());
                if (first == 0 && event.path("choices").path(0).path("text").asText().length() > 0) first = System.nanoTime();
                if (event.path("usage").isObject()) generated = event.path("usage").path("completion_tokens").asInt();
            }
        }
        return new Sample(start, first, System.nanoTime(), generated);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static Level summarize(int streams, List<Sample> samples, double cpuSeconds) {
        long start = samples.stream().mapToLong(Sample::startNanos).min().orElse(0);
        long end = samples.stream().mapToLong(Sample::endNanos).max().orElse(0);
        long tokens = samples.stream().mapToLong(Sample::tokens).sum();
        double seconds = (end - start) / 1e9;
        List<Sample> timed = samples.stream().filter(s -> s.firstTokenNanos() > 0).toList();
        if (timed.size() < samples.size()) {
            System.err.printf("edgebox: %d of %d requests streamed no text, so their time to first token is unknown"
                    + " (a synth model needs a real vocabulary: synth --vocab ggml-vocab-qwen2.gguf)%n", samples.size() - timed.size(), samples.size());
        }
        double decode = timed.stream().filter(s -> s.tokens() > 1 && s.endNanos() > s.firstTokenNanos())
                .mapToDouble(s -> (s.tokens() - 1) / ((s.endNanos() - s.firstTokenNanos()) / 1e9)).average().orElse(0);
        double[] ttft = timed.stream().mapToDouble(s -> (s.firstTokenNanos() - s.startNanos()) / 1e6).sorted().toArray();
        return new Level(streams, samples.size(), tokens, seconds, tokens / seconds, decode, percentile(ttft, 50), percentile(ttft, 99),
                cpuSeconds);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private void print(List<Level> levels) throws IOException {
        double ratio = levels.getLast().tokensPerSecond() / levels.getFirst().tokensPerSecond();
        double cpuRatio = levels.getLast().tokensPerCpuSecond() / levels.getFirst().tokensPerCpuSecond();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("levels", levels);
            out.put("ratio_last_to_first", ratio);
            if (levels.getFirst().cpuSeconds() > 0) out.put("cpu_ratio_last_to_first", cpuRatio);
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return;
        }
        System.out.printf("%7s %8s %8s %8s %14s %16s %10s %10s %12s%n", "streams", "requests", "tokens", "seconds", "aggregate t/s",
                "per-stream t/s", "TTFT p50", "TTFT p99", "t/CPU-s");
        for (Level l : levels) {
            System.out.printf(Locale.ROOT, "%7d %8d %8d %8.1f %14.2f %16.2f %8.0fms %8.0fms %12s%n", l.streams(), l.requests(), l.tokens(),
                    l.seconds(), l.tokensPerSecond(), l.perStreamDecode(), l.ttftP50Ms(), l.ttftP99Ms(),
                    l.cpuSeconds() > 0 ? String.format(Locale.ROOT, "%.2f", l.tokensPerCpuSecond()) : "-");
        }
        System.out.printf(Locale.ROOT, "aggregate speed-up, %d streams over %d: %.2fx wall clock%s%n", levels.getLast().streams(),
                levels.getFirst().streams(), ratio, levels.getFirst().cpuSeconds() > 0 ? String.format(Locale.ROOT, ", %.2fx per CPU second", cpuRatio) : "");
    }
}
