package dev.edgebox.server.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.edgebox.server.http.Request;
import dev.edgebox.server.http.Response;
import dev.edgebox.server.http.Router;

/**
 * Where the server is in its life: LOADING (the model is being opened), READY, DRAINING (shutting
 * down). {@code GET /health} answers 200 only when READY, so a load balancer or watchdog sends
 * traffic only then.
 */
public final class Health {
    public enum State { LOADING, READY, DRAINING, FAILED }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String status, String model, Integer slots, Integer busySlots, Integer queued) {}

    private volatile State state = State.LOADING;
    private volatile String detail;
    private volatile java.util.function.Supplier<Status> ready = () -> new Status("ok", null, null, null, null);

    public State state() {
        return state;
    }

    public void loading() {
        state = State.LOADING;
    }

    /** @param status what /health reports while ready (model, slots, queue) */
    public void ready(java.util.function.Supplier<Status> status) {
        this.ready = status;
        state = State.READY;
    }

    public void draining() {
        state = State.DRAINING;
    }

    /** The model could not be loaded; /health says why. */
    public void failed(String why) {
        detail = why;
        state = State.FAILED;
    }

    public Router register(Router r) {
        return r.get("/health", this::health);
    }

    private Response health(Request req) {
        return switch (state) {
            case READY -> Response.json(ready.get());
            case LOADING -> Response.json(503, new Status("loading", null, null, null, null)).header("Retry-After", "1");
            case DRAINING -> Response.json(503, new Status("draining", null, null, null, null));
            case FAILED -> Response.json(503, new Status("failed: " + detail, null, null, null, null));
        };
    }
}
