package dev.edgebox.server.ops;

import dev.edgebox.engine.generate.GenerationResult;
import dev.edgebox.server.http.ExchangeListener;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.scheduler.SchedulerListener;
import java.util.function.IntSupplier;

/**
 * The server's metrics, served at {@code GET /metrics} in the Prometheus text format: HTTP
 * requests by route and status, tokens, queue and slots, time to first token, decode speed,
 * batch sizes, memory, LoRA adapters. Fed by the web server (every exchange) and the scheduler (every step).
 */
public final class ServerMetrics implements ExchangeListener, SchedulerListener {
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] RATES = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};
    private static final double[] SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    private final MetricsRegistry registry = new MetricsRegistry();
    private final MetricsRegistry.Counter requests = registry.counter("edgebox_http_requests_total",
            "HTTP requests by route pattern, method and status.", "route", "method", "status");
    private final MetricsRegistry.Histogram duration = registry.histogram("edgebox_http_request_duration_seconds",
            "Time from request to the last byte of the response.", SECONDS);
    private final MetricsRegistry.Counter promptTokens = registry.counter("edgebox_prompt_tokens_total", "Prompt tokens of generation requests.");
    private final MetricsRegistry.Counter cachedTokens = registry.counter("edgebox_prompt_cached_tokens_total",
            "Prompt tokens whose KV entries were reused from a slot's earlier request.");
    private final MetricsRegistry.Counter generatedTokens = registry.counter("edgebox_generated_tokens_total", "Tokens generated.");
    private final MetricsRegistry.Counter embeddingTokens = registry.counter("edgebox_embedding_tokens_total", "Tokens embedded.");
    private final MetricsRegistry.Counter finished = registry.counter("edgebox_requests_finished_total",
            "Generation requests by how they ended: stop, length, cancelled (client left), timeout.", "reason");
    private final MetricsRegistry.Counter rejected = registry.counter("edgebox_requests_rejected_total",
            "Requests refused before generation: queue_full, shutting_down, deadline (waited too long).", "reason");
    private final MetricsRegistry.Histogram ttft = registry.histogram("edgebox_time_to_first_token_seconds",
            "From request submission (queueing included) to its first generated token.", SECONDS);
    private final MetricsRegistry.Histogram decodeRate = registry.histogram("edgebox_decode_tokens_per_second",
            "Decode speed of each finished request (tokens after the first over the time since the first).", RATES);
    private final MetricsRegistry.Histogram stepTokens = registry.histogram("edgebox_step_tokens",
            "Tokens per forward pass (decode tokens of all busy slots plus prompt chunks).", SIZES);
    private final MetricsRegistry.Histogram stepDecode = registry.histogram("edgebox_step_decode_tokens",
            "Decoding slots batched into one forward pass.", SIZES);
    private final MetricsRegistry.Histogram stepSeconds = registry.histogram("edgebox_step_seconds", "Duration of one forward pass.", SECONDS);
    private final MetricsRegistry.Counter adapterRequests = registry.counter("edgebox_lora_requests_total",
            "Generation requests accepted per LoRA adapter (a request stacking several counts for each).", "adapter");

    public ServerMetrics() {
        registry.gauge("process_resident_memory_bytes", "Resident memory of the process (heap, KV caches, mapped model pages).",
                ProcessStats::residentBytes);
        registry.gauge("process_virtual_memory_bytes", "Virtual memory of the process (includes the whole mapped model file).",
                ProcessStats::virtualBytes);
        registry.gauge("edgebox_jvm_heap_used_bytes", "Java heap in use.",
                () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    }

    /** Adds the gauges that read the scheduler: queue depth, busy slots, slots. */
    public void watchScheduler(IntSupplier queued, IntSupplier busy, int slots) {
        registry.gauge("edgebox_queue_depth", "Requests waiting for a slot.", queued::getAsInt);
        registry.gauge("edgebox_slots_busy", "Slots generating now.", busy::getAsInt);
        registry.gauge("edgebox_slots", "Slots (requests generated at once).", () -> slots);
    }

    /** Adds the gauges of the LoRA adapters in memory: versions (older ones still held by requests included) and their bytes. */
    public void watchAdapters(IntSupplier resident, java.util.function.LongSupplier bytes) {
        registry.gauge("edgebox_lora_adapters", "LoRA adapter versions in memory (older versions still held by running requests included).",
                resident::getAsInt);
        registry.gauge("edgebox_lora_resident_bytes", "Memory of the LoRA adapter versions in memory.", bytes::getAsLong);
    }

    /** A request was accepted with this adapter. */
    public void adapterUsed(String name) {
        adapterRequests.inc(name);
    }

    /** Adds a gauge. */
    public void gauge(String name, String help, java.util.function.DoubleSupplier value) {
        registry.gauge(name, help, value);
    }

    public Router register(Router r) {
        return r.get("/metrics", this::scrape);
    }

    private Response scrape(Request req) {
        return Response.text(200, registry.scrape()).header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    }

    public void rejected(String reason) {
        rejected.inc(reason);
    }

    @Override
    public void completed(Request request, int status, long bodyBytes, boolean aborted) {
        String route = request.route() == null ? "unmatched" : request.route();
        requests.inc(route, request.method(), Integer.toString(status));
        duration.observe((System.nanoTime() - request.startNanos()) / 1e9);
    }

    @Override
    public void step(int tokens, int decodeTokens, long nanos) {
        stepTokens.observe(tokens);
        if (decodeTokens > 0) stepDecode.observe(decodeTokens);
        stepSeconds.observe(nanos / 1e9);
    }

    @Override
    public void firstToken(long nanos) {
        ttft.observe(nanos / 1e9);
    }

    @Override
    public void finished(GenerationResult result, long decodeNanos, boolean timedOut) {
        promptTokens.add(result.promptTokens());
        generatedTokens.add(result.tokens().length);
        cachedTokens.add(result.cachedTokens());
        finished.inc(timedOut ? "timeout" : result.finishReason().apiName());
        if (result.tokens().length > 1 && decodeNanos > 0) decodeRate.observe((result.tokens().length - 1) / (decodeNanos / 1e9));
    }

    @Override
    public void embedded(int tokens) {
        embeddingTokens.add(tokens);
    }
}
