package dev.edgebox.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a client caused or must hear about, sent as OpenAI-shaped JSON:
 * {"error":{"message","type","param","code"}}.
 */
public class ApiException extends RuntimeException {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException badRequest(String message, String param) {
        return new ApiException(400, message, "invalid_request_error", param, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message, "invalid_request_error", null, "not_found");
    }

    public static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, "method " + method + " is not allowed on " + path, "invalid_request_error", null, "method_not_allowed");
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "request body is larger than the limit of " + limit + " bytes", "invalid_request_error", null,
                "request_too_large");
    }

    public static ApiException unsupportedMediaType(String got, String expected) {
        return new ApiException(415, "content type '" + got + "' is not accepted here; expected " + expected, "invalid_request_error", null,
                "unsupported_media_type");
    }

    public static ApiException serverError(String message) {
        return new ApiException(500, message, "server_error", null, null);
    }

    /** Adds a response header (Retry-After, WWW-Authenticate, ...). */
    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** The JSON body: {"error":{...}} with null fields kept, as OpenAI sends them. */
    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Error(getMessage(), type, param, code));
    }

    public record ErrorBody(Error error) {
        public record Error(String message, String type, String param, String code) {}
    }
}
