package dev.edgebox.server.http;

/** Turns an {@link ApiException} into a response; API dialects differ in how errors look. */
@FunctionalInterface
public interface ErrorRenderer {
    /** OpenAI's shape, {"error":{"message","type","param","code"}}. */
    ErrorRenderer OPENAI = (request, e) -> Response.error(e);

    Response render(Request request, ApiException e);
}
