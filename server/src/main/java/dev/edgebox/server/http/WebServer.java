package dev.edgebox.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The JDK's built-in HTTP server with one virtual thread per request. Binds to the loopback address
 * unless told otherwise: an edge box should not expose its APIs by accident. Every failure becomes
 * an OpenAI-shaped JSON error; the server keeps serving.
 */
public final class WebServer implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final long maxBodyBytes;
    private final Consumer<Throwable> errorLog;

    private WebServer(String host, int port, Router router, long maxBodyBytes, Consumer<Throwable> errorLog) throws IOException {
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.errorLog = errorLog;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds and starts serving.
     *
     * @param port 0 picks a free port (see {@link #port()})
     * @param errorLog hears unexpected handler failures (the client gets a 500)
     */
    public static WebServer start(String host, int port, Router router, long maxBodyBytes, Consumer<Throwable> errorLog) {
        try {
            WebServer s = new WebServer(host, port, router, maxBodyBytes, errorLog);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public static WebServer start(int port, Router router) {
        return start(LOOPBACK, port, router, DEFAULT_MAX_BODY_BYTES, Throwable::printStackTrace);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void handle(HttpExchange exchange) {
        Response response;
        try {
            Router.Match m = router.match(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            response = m.handler().handle(new Request(exchange, m.params(), maxBodyBytes));
        } catch (ApiException e) {
            response = Response.error(e);
        } catch (Throwable t) {
            errorLog.accept(t);
            response = Response.error(ApiException.serverError("internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())));
        }
        send(exchange, response);
    }

    private void send(HttpExchange exchange, Response response) {
        try (exchange) {
            for (Map.Entry<String, String> h : response.headers().entrySet()) exchange.getResponseHeaders().set(h.getKey(), h.getValue());
            byte[] body = response.body();
            if (body != null) {
                // The JDK's contract: -1 means no body, 0 would mean chunked.
                exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(response.status(), 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    response.stream().write(out);
                }
            }
        } catch (IOException e) {
            // the client went away; nothing left to tell it
        } catch (RuntimeException e) {
            errorLog.accept(e);
        }
    }

    /** Stops accepting, gives running requests a second to finish, and stops. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
