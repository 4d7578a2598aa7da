package dev.edgebox.server;

import dev.edgebox.engine.model.Model;
import dev.edgebox.engine.tokenizer.Tokenizer;
import dev.edgebox.server.auth.ApiKeys;
import dev.edgebox.server.config.ServeConfig;
import dev.edgebox.server.format.ConstraintStats;
import dev.edgebox.server.format.TimedConstraint;
import dev.edgebox.server.http.ApiException;
import dev.edgebox.server.http.ExchangeListener;
import dev.edgebox.server.http.Filter;
import dev.edgebox.server.http.Router;
import dev.edgebox.server.http.WebServer;
import dev.edgebox.server.kb.KbRoutes;
import dev.edgebox.server.lora.AdapterRoutes;
import dev.edgebox.server.lora.ServedAdapters;
import dev.edgebox.knowledge.KnowledgeBases;
import dev.edgebox.server.inference.ModelInfo;
import dev.edgebox.server.inference.ServedModel;
import dev.edgebox.server.ollama.OllamaRoutes;
import dev.edgebox.server.openai.OpenAiRoutes;
import dev.edgebox.server.ops.AccessLog;
import dev.edgebox.server.ops.Health;
import dev.edgebox.server.ops.ServerMetrics;
import dev.edgebox.server.scheduler.Scheduler;
import dev.edgebox.server.scheduler.SchedulerConfig;
import dev.edgebox.server.tasks.TaskPrompts;
import dev.edgebox.server.tasks.TaskRegistry;
import dev.edgebox.server.tasks.TaskRoutes;
import dev.edgebox.server.tasks.TaskRunner;
import dev.edgebox.server.tasks.Tasks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code edgebox serve} put together: the web server comes up first (so /health can say "loading"),
 * then the model is opened, the scheduler started and the OpenAI and Ollama routes added. The
 * knowledge-base routes (/v1/kb) are mounted too, over the configured knowledge-base directory, and
 * the task routes (/v1/tasks, /v1/route) over the built-in tasks and the tasks directory, and the
 * LoRA adapters of the adapter directory (picked per request, managed at /v1/adapters).
 * {@link #shutdown} drains: health turns 503, new connections are refused, requests in flight may
 * finish within the grace period, and what is left is cancelled.
 */
public final class EdgeServer implements AutoCloseable {
    /** Paths that answer without an API key and while loading: what watchdogs and scrapers call. */
    private static final Set<String> OPEN_PATHS = Set.of("/health");

    private final ServeConfig config;
    private final PrintStream log;
    private final Health health = new Health();
    private final ServerMetrics metrics = new ServerMetrics();
    private final AccessLog accessLog;
    private final Router router = new Router();
    private final WebServer web;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final KnowledgeBases knowledgeBases;
    private Model model;
    private Scheduler scheduler;
    private ServedModel served;

    private EdgeServer(ServeConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.accessLog = AccessLog.open(config.accessLog());
        health.register(router);
        metrics.register(router);
        // Knowledge bases need no model; their routes pass the same gates as every other route.
        this.knowledgeBases = config.kbOff() ? null
                : new KnowledgeBases(config.kbDir() != null ? config.kbDir() : KnowledgeBases.defaultRoot());
        if (knowledgeBases != null) new KbRoutes(knowledgeBases).register(router);
        WebServer.Builder b = WebServer.builder(router)
                .host(config.host())
                .port(config.port())
                .maxBodyBytes(config.maxBodyBytes())
                .errors(OllamaRoutes.ERRORS)
                .errorLog(t -> {
                    log.println("edgebox: request failed: " + t);
                    t.printStackTrace(log);
                })
                .listener(listeners());
        if (!config.apiKeys().isEmpty()) b.filter(new ApiKeys(config.apiKeys(), OPEN_PATHS));
        b.filter(loadingGate());
        this.web = b.start();
    }

    /** Starts listening; the model is not loaded yet ({@link #load()}), so only /health and /metrics answer. */
    public static EdgeServer open(ServeConfig config, PrintStream log) {
        return new EdgeServer(config, log);
    }

    /** Starts listening and loads the model. */
    public static EdgeServer start(ServeConfig config, PrintStream log) {
        EdgeServer s = open(config, log);
        try {
            s.load();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private ExchangeListener listeners() {
        return (request, status, bytes, aborted) -> {
            metrics.completed(request, status, bytes, aborted);
            if (accessLog != null) accessLog.completed(request, status, bytes, aborted);
        };
    }

    /** Until the model is ready, everything but health and metrics answers 503 with Retry-After. */
    private Filter loadingGate() {
        return (request, next) -> {
            Health.State s = health.state();
            if (s == Health.State.READY || OPEN_PATHS.contains(request.path()) || request.path().equals("/metrics")) return next.handle(request);
            String why = switch (s) {
                case LOADING -> "the model is still loading; retry shortly";
                case DRAINING -> "the server is shutting down";
                default -> "the model failed to load; see the server log";
            };
            throw new ApiException(503, why, "server_overloaded", null, "unavailable").header("Retry-After", "1");
        };
    }

    /** Opens the model, starts the scheduler and adds the API routes; /health turns 200. */
    public void load() {
        try {
            log.println("edgebox: loading " + config.model());
            model = Model.open(config.model(), config.modelOptions());
            config.checkMemory(model.config(), model.contextLength());
            Tokenizer tokenizer = Tokenizer.fromMetadata(model.file().metadata());
            scheduler = new Scheduler(model, tokenizer, new SchedulerConfig(config.parallel(), config.queueSize(), config.batch()), metrics,
                    t -> {
                        log.println("edgebox: scheduler error: " + t);
                        t.printStackTrace(log);
                    }).start();
            metrics.watchScheduler(scheduler::queued, scheduler::busySlots, scheduler.slots());
            ServedAdapters adapters = ServedAdapters.open(config.adapterDir(), config.loras(), model.config(), metrics::adapterUsed, log);
            metrics.watchAdapters(adapters.registry()::residentCount, adapters.registry()::residentBytes);
            ModelInfo info = ModelInfo.of(config.servedName(), model.file(), model.contextLength(), model.config().dim());
            served = new ServedModel(info, model.file().metadata(), tokenizer, scheduler,
                    new ServedModel.Limits(config.maxTokens(), config.requestTimeout()), metrics::rejected, adapters);
            watchGrammars(served, tokenizer);
            Tasks tasks = tasks(served);
            new OpenAiRoutes(served, tasks).register(router);
            new TaskRoutes(tasks, served).register(router);
            new OllamaRoutes(served, version()).register(router);
            new AdapterRoutes(adapters, served::name).register(router);
            health.ready(() -> new Health.Status("ok", served.name(), scheduler.slots(), scheduler.busySlots(), scheduler.queued()));
            log.printf("edgebox: serving '%s' at %s (OpenAI /v1, Ollama /api; %d slots, context %d tokens, %d threads%s%s)%n",
                    served.name(), web.url(), config.parallel(), model.contextLength(), config.threads(),
                    config.apiKeys().isEmpty() ? "" : ", API keys required",
                    config.adapterDir() == null ? "" : ", adapters in " + config.adapterDir());
        } catch (RuntimeException e) {
            health.failed(e.getMessage());
            throw e;
        }
    }

    /** The built-in tasks and those of the tasks directory, run on the scheduler like any request. */
    private Tasks tasks(ServedModel served) {
        TaskRegistry registry = TaskRegistry.open(config.tasksDir());
        for (String error : registry.errors()) log.println("edgebox: task file skipped: " + error);
        TaskRunner runner = new TaskRunner(scheduler, TaskPrompts.of(served.metadata(), served.tokenizer()), served.formats(),
                config.maxTokens(), config.requestTimeout(), c -> new TimedConstraint(c, served.constraintStats()));
        return new Tasks(registry, runner);
    }

    /** Metrics of constrained decoding; the tokenizer's byte trie is built now, in the background, not on the first formatted request. */
    private void watchGrammars(ServedModel served, Tokenizer tokenizer) {
        ConstraintStats grammar = served.constraintStats();
        metrics.gauge("edgebox_grammar_seconds", "Time spent in output grammars (token masks and checks) since start.", grammar::seconds);
        metrics.gauge("edgebox_grammar_tokens", "Tokens generated under an output grammar since start.", grammar::tokens);
        metrics.gauge("edgebox_grammar_masks", "Full token masks computed or reused (the first draw broke the grammar) since start.",
                grammar::masks);
        Thread.ofVirtual().name("edgebox-token-trie").start(() -> served.formats().choices(List.of("warm-up")).newConstraint(tokenizer));
    }

    public static String version() {
        String v = EdgeServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    public String url() {
        return web.url();
    }

    public int port() {
        return web.port();
    }

    public ServedModel model() {
        return served;
    }

    public Health health() {
        return health;
    }

    /**
     * Drains and stops: /health answers 503, new connections are refused, requests in flight have
     * {@code grace} to finish, the rest are cancelled (their clients get a final message), the model
     * is closed. Safe to call more than once.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (stopped.getCount() == 0) return;
            health.draining();
            // The web server waits for exchanges in flight while the scheduler finishes (or cancels) them.
            int waitSeconds = (int) Math.min(Integer.MAX_VALUE, grace.toSeconds() + 2);
            Thread webStop = Thread.ofPlatform().name("edgebox-web-stop").start(() -> web.stop(waitSeconds));
            if (scheduler != null) scheduler.shutdown(grace);
            try {
                webStop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (model != null) model.close();
            if (knowledgeBases != null) knowledgeBases.close();
            if (accessLog != null) accessLog.close();
            stopped.countDown();
        }
    }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
