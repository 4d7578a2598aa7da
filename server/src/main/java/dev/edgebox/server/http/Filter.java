package dev.edgebox.server.http;

/**
 * Runs around every request before routing (authentication, a "still loading" gate): call
 * {@code next} to go on, or answer (or throw {@link ApiException}) to stop here.
 */
@FunctionalInterface
public interface Filter {
    Response filter(Request request, Handler next) throws Exception;
}
