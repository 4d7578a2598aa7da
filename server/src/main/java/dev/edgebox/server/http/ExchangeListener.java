package dev.edgebox.server.http;

/** Hears about every finished exchange, after its body was sent: for access logs and metrics. */
@FunctionalInterface
public interface ExchangeListener {
    /**
     * @param status    the status sent
     * @param bodyBytes bytes of body written
     * @param aborted   the client went away before the whole body was written
     */
    void completed(Request request, int status, long bodyBytes, boolean aborted);
}
