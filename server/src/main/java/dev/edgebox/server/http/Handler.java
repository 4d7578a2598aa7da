package dev.edgebox.server.http;

/** Answers one request. Throw {@link ApiException} for client errors; anything else becomes a 500. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
