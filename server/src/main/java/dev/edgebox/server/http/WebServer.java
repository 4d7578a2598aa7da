package dev.edgebox.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The JDK's built-in HTTP server with one virtual thread per request. Binds to the loopback address
 * unless told otherwise: an edge box should not expose its APIs by accident. Every failure becomes
 * a JSON error (OpenAI's shape unless an {@link ErrorRenderer} says otherwise); the server keeps
 * serving. Filters run before routing; a listener hears about every finished exchange.
 */
public final class WebServer implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

    static {
        // Streams write one small event per token: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACKs hold each write for up to 40 ms. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final Builder settings;
    private final Handler pipeline;

    private WebServer(Builder b) throws IOException {
        this.router = b.router;
        this.settings = b;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), b.backlog);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        Handler h = this::route;
        for (Filter f : b.filters.reversed()) {
            Handler next = h;
            h = req -> f.filter(req, next);
        }
        this.pipeline = h;
    }

    public static Builder builder(Router router) {
        return new Builder(router);
    }

    /**
     * Binds and starts serving.
     *
     * @param port 0 picks a free port (see {@link #port()})
     * @param errorLog hears unexpected handler failures (the client gets a 500)
     */
    public static WebServer start(String host, int port, Router router, long maxBodyBytes, Consumer<Throwable> errorLog) {
        return builder(router).host(host).port(port).maxBodyBytes(maxBodyBytes).errorLog(errorLog).start();
    }

    public static WebServer start(int port, Router router) {
        return builder(router).port(port).start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private Response route(Request request) throws Exception {
        Router.Match m = router.match(request.method(), request.exchange().getRequestURI().getRawPath());
        request.bind(m);
        return m.handler().handle(request);
    }

    private void handle(HttpExchange exchange) {
        Request request = new Request(exchange, settings.maxBodyBytes);
        Response response;
        try {
            response = pipeline.handle(request);
        } catch (ApiException e) {
            response = settings.errors.render(request, e);
        } catch (Throwable t) {
            settings.errorLog.accept(t);
            response = settings.errors.render(request, ApiException.serverError("internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())));
        }
        send(exchange, request, response);
    }

    private void send(HttpExchange exchange, Request request, Response response) {
        CountingStream counted = null;
        boolean aborted = false;
        try (exchange) {
            for (Map.Entry<String, String> h : response.headers().entrySet()) exchange.getResponseHeaders().set(h.getKey(), h.getValue());
            byte[] body = response.body();
            if (body != null) {
                // The JDK's contract: -1 means no body, 0 would mean chunked.
                exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
                counted = new CountingStream(exchange.getResponseBody());
                if (body.length > 0) counted.write(body);
            } else {
                exchange.sendResponseHeaders(response.status(), 0);
                try (CountingStream out = new CountingStream(exchange.getResponseBody())) {
                    counted = out;
                    response.stream().write(out);
                }
            }
        } catch (IOException e) {
            aborted = true; // the client went away; nothing left to tell it
        } catch (RuntimeException e) {
            aborted = true;
            settings.errorLog.accept(e);
        }
        try {
            settings.listener.completed(request, response.status(), counted == null ? 0 : counted.count, aborted);
        } catch (RuntimeException e) {
            settings.errorLog.accept(e);
        }
    }

    /**
     * Stops accepting connections and waits up to {@code delaySeconds} for exchanges in progress to
     * finish, then closes every connection.
     */
    public void stop(int delaySeconds) {
        server.stop(delaySeconds);
        executor.shutdownNow();
    }

    /** Stops accepting, gives running requests a second to finish, and stops. */
    @Override
    public void close() {
        stop(1);
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Where and how to serve; {@link #start()} binds. */
    public static final class Builder {
        private final Router router;
        private String host = LOOPBACK;
        private int port;
        private int backlog;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private final List<Filter> filters = new ArrayList<>();
        private ErrorRenderer errors = ErrorRenderer.OPENAI;
        private ExchangeListener listener = (request, status, bytes, aborted) -> { };
        private Consumer<Throwable> errorLog = Throwable::printStackTrace;

        private Builder(Router router) {
            this.router = router;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Connections waiting to be accepted (0 = the system's default). */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Adds a filter; filters run in the order they were added, before routing. */
        public Builder filter(Filter filter) {
            filters.add(filter);
            return this;
        }

        public Builder errors(ErrorRenderer errors) {
            this.errors = errors;
            return this;
        }

        public Builder listener(ExchangeListener listener) {
            this.listener = listener;
            return this;
        }

        /** Hears unexpected handler failures (the client gets a 500). */
        public Builder errorLog(Consumer<Throwable> errorLog) {
            this.errorLog = errorLog;
            return this;
        }

        public WebServer start() {
            try {
                WebServer s = new WebServer(this);
                s.server.start();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
        }
    }
}
